import { IllegalArgumentError } from '../core/errors.js';
import { hashCodeOf } from './java-hash-code.js';

/** Flink's upper bound on max parallelism (the number of key groups): 2^15. */
export const UPPER_BOUND_MAX_PARALLELISM = 1 << 15;
/** The smallest default max parallelism. */
export const DEFAULT_LOWER_BOUND_MAX_PARALLELISM = 128;

/** An inclusive range of key groups owned by one subtask. */
export interface KeyGroupRange {
  readonly startKeyGroup: number;
  readonly endKeyGroup: number;
}

/** Flink's `MathUtils.murmurHash(int)`: the finaliser that spreads Java hash codes over key groups. */
export function murmurHash(code: number): number {
  let h = Math.imul(code, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  if (h >= 0) return h;
  if (h !== -2147483648) return -h;
  return 0;
}

function roundUpToPowerOfTwo(x: number): number {
  let v = x - 1;
  v |= v >> 1;
  v |= v >> 2;
  v |= v >> 4;
  v |= v >> 8;
  v |= v >> 16;
  return v + 1;
}

/**
 * Flink's formulas that map keys to key groups and key groups to subtasks
 * (`KeyGroupRangeAssignment`). They must stay stable: checkpoints and savepoints depend on them.
 */
export const KeyGroupRangeAssignment = {
  /** The default max parallelism: `p + p/2` rounded up to a power of two, clamped to [128, 32768]. */
  computeDefaultMaxParallelism(operatorParallelism: number): number {
    checkParallelism(operatorParallelism);
    const candidate = roundUpToPowerOfTwo(operatorParallelism + Math.floor(operatorParallelism / 2));
    return Math.min(Math.max(candidate, DEFAULT_LOWER_BOUND_MAX_PARALLELISM), UPPER_BOUND_MAX_PARALLELISM);
  },

  /** key → key group: `murmurHash(key.hashCode()) % maxParallelism`. */
  assignToKeyGroup(key: unknown, maxParallelism: number): number {
    return KeyGroupRangeAssignment.computeKeyGroupForKeyHash(hashCodeOf(key), maxParallelism);
  },

  computeKeyGroupForKeyHash(keyHash: number, maxParallelism: number): number {
    return murmurHash(keyHash) % maxParallelism;
  },

  /** key → subtask index at the given parallelism. */
  assignKeyToParallelOperator(key: unknown, maxParallelism: number, parallelism: number): number {
    return KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(
      maxParallelism,
      parallelism,
      KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism),
    );
  },

  /** key group → subtask index: `kg * p / m` (integer division). */
  computeOperatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroupId: number): number {
    return Math.floor((keyGroupId * parallelism) / maxParallelism);
  },

  /** The key groups of subtask `operatorIndex`: [⌈i·m/p⌉, ⌊((i+1)·m − 1)/p⌋]. */
  computeKeyGroupRangeForOperatorIndex(
    maxParallelism: number,
    parallelism: number,
    operatorIndex: number,
  ): KeyGroupRange {
    checkParallelism(parallelism);
    if (parallelism > maxParallelism) {
      throw new IllegalArgumentError(
        `Parallelism ${parallelism} is above the max parallelism ${maxParallelism}.`,
      );
    }
    return {
      startKeyGroup: Math.floor((operatorIndex * maxParallelism + parallelism - 1) / parallelism),
      endKeyGroup: Math.floor(((operatorIndex + 1) * maxParallelism - 1) / parallelism),
    };
  },
};

function checkParallelism(parallelism: number): void {
  if (!Number.isInteger(parallelism) || parallelism < 1) {
    throw new IllegalArgumentError(`Parallelism must be a whole number >= 1, got ${parallelism}.`);
  }
  if (parallelism > UPPER_BOUND_MAX_PARALLELISM) {
    throw new IllegalArgumentError(
      `Parallelism ${parallelism} is above the upper bound ${UPPER_BOUND_MAX_PARALLELISM}.`,
    );
  }
}
