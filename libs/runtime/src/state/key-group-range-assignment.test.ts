import { describe, expect, it } from 'vitest';

import { IllegalArgumentError } from '../core/errors.js';
import { stringHashCode } from './java-hash-code.js';
import {
  DEFAULT_LOWER_BOUND_MAX_PARALLELISM,
  KeyGroupRangeAssignment,
  UPPER_BOUND_MAX_PARALLELISM,
  murmurHash,
} from './key-group-range-assignment.js';

/**
 * Flink's `MathUtils.murmurHash(int)` written independently with BigInt and explicit 32-bit
 * wrapping: mix one block (c1, rotl 15, c2), rotl 13, ×5 + n, length 4, fmix32, then abs with
 * Integer.MIN_VALUE mapped to 0.
 */
function referenceMurmurHash(code: number): number {
  const u32 = (x: bigint) => BigInt.asUintN(32, x);
  const rotl = (x: bigint, r: bigint) => u32((x << r) | (x >> (32n - r)));
  let k = u32(BigInt(code));
  k = u32(k * 0xcc9e2d51n);
  k = rotl(k, 15n);
  k = u32(k * 0x1b873593n);
  let h = rotl(k, 13n);
  h = u32(h * 5n + 0xe6546b64n);
  h ^= 4n;
  h ^= h >> 16n;
  h = u32(h * 0x85ebca6bn);
  h ^= h >> 13n;
  h = u32(h * 0xc2b2ae35n);
  h ^= h >> 16n;
  const signed = BigInt.asIntN(32, h);
  if (signed >= 0n) return Number(signed);
  if (signed !== -(2n ** 31n)) return Number(-signed);
  return 0;
}

/** Deterministic pseudo-random 32-bit ints (xorshift32). */
function* ints(count: number): Generator<number> {
  let x = 0x12345678;
  for (let i = 0; i < count; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    yield x | 0;
  }
}

describe('murmurHash (Flink MathUtils.murmurHash)', () => {
  it('agrees with an independent BigInt implementation on edge values', () => {
    for (const code of [0, 1, -1, 2, 42, 97, 99162322, 67968320, 2147483647, -2147483648, 0x7fff, 0x8000]) {
      expect(murmurHash(code)).toBe(referenceMurmurHash(code));
    }
  });

  it('agrees with an independent BigInt implementation on 5000 pseudo-random ints', () => {
    for (const code of ints(5000)) expect(murmurHash(code)).toBe(referenceMurmurHash(code));
  });

  it('returns a non-negative 32-bit int', () => {
    for (const code of ints(2000)) {
      const hash = murmurHash(code);
      expect(Number.isInteger(hash)).toBe(true);
      expect(hash).toBeGreaterThanOrEqual(0);
      expect(hash).toBeLessThanOrEqual(2147483647);
    }
  });
});

describe('KeyGroupRangeAssignment.computeDefaultMaxParallelism', () => {
  it.each([
    [1, 128],
    [2, 128],
    [64, 128],
    [85, 128],
    [86, 256],
    [100, 256],
    [170, 256],
    [171, 256],
    [172, 512],
    [1000, 2048],
    [10_000, 16_384],
    [21_845, 32_768],
    [30_000, 32_768],
    [32_768, 32_768],
  ])('parallelism %d gives %d', (parallelism, expected) => {
    expect(KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism)).toBe(expected);
  });

  it('is always a power of two within [128, 32768] and at least p + p/2 below the clamp', () => {
    for (let p = 1; p <= 32_768; p += 97) {
      const m = KeyGroupRangeAssignment.computeDefaultMaxParallelism(p);
      expect(m & (m - 1)).toBe(0);
      expect(m).toBeGreaterThanOrEqual(DEFAULT_LOWER_BOUND_MAX_PARALLELISM);
      expect(m).toBeLessThanOrEqual(UPPER_BOUND_MAX_PARALLELISM);
      if (m < UPPER_BOUND_MAX_PARALLELISM) expect(m).toBeGreaterThanOrEqual(p + Math.floor(p / 2));
    }
  });

  it('rejects a parallelism below 1 or above 32768', () => {
    for (const bad of [0, -1, 1.5, 32_769])
      expect(() => KeyGroupRangeAssignment.computeDefaultMaxParallelism(bad)).toThrow(IllegalArgumentError);
  });
});

describe('key group ranges', () => {
  const CASES: readonly (readonly [number, number])[] = [
    [1, 1],
    [1, 128],
    [2, 128],
    [3, 128],
    [7, 128],
    [10, 10],
    [5, 17],
    [13, 256],
    [100, 256],
    [127, 128],
    [128, 128],
    [333, 32_768],
    [32_768, 32_768],
  ];

  it.each(CASES)('p=%d, m=%d: the ranges cover every key group exactly once, in order', (p, m) => {
    let next = 0;
    for (let i = 0; i < p; i++) {
      const range = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(m, p, i);
      expect(range.startKeyGroup).toBe(next);
      expect(range.endKeyGroup).toBeGreaterThanOrEqual(range.startKeyGroup);
      // Sizes differ by at most one: ⌊m/p⌋ or ⌈m/p⌉.
      const size = range.endKeyGroup - range.startKeyGroup + 1;
      expect(size === Math.floor(m / p) || size === Math.ceil(m / p)).toBe(true);
      next = range.endKeyGroup + 1;
    }
    expect(next).toBe(m);
  });

  it.each(CASES)('p=%d, m=%d: the operator index of each key group owns it', (p, m) => {
    const step = m > 4096 ? 7 : 1;
    for (let kg = 0; kg < m; kg += step) {
      const index = KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(m, p, kg);
      expect(index).toBeGreaterThanOrEqual(0);
      expect(index).toBeLessThan(p);
      const range = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(m, p, index);
      expect(kg).toBeGreaterThanOrEqual(range.startKeyGroup);
      expect(kg).toBeLessThanOrEqual(range.endKeyGroup);
    }
  });

  it('matches the formulas of the notes on a worked example (m=128, p=3)', () => {
    const ranges = [0, 1, 2].map((i) =>
      KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(128, 3, i),
    );
    expect(ranges).toEqual([
      { startKeyGroup: 0, endKeyGroup: 42 },
      { startKeyGroup: 43, endKeyGroup: 85 },
      { startKeyGroup: 86, endKeyGroup: 127 },
    ]);
    expect(KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(128, 3, 42)).toBe(0);
    expect(KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(128, 3, 43)).toBe(1);
    expect(KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(128, 3, 127)).toBe(2);
  });

  it('rejects a parallelism above the max parallelism or below 1', () => {
    expect(() => KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(4, 5, 0)).toThrow(
      IllegalArgumentError,
    );
    expect(() => KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(4, 0, 0)).toThrow(
      IllegalArgumentError,
    );
  });
});

describe('key → key group → subtask', () => {
  it('assigns a key to murmurHash(hashCode) mod maxParallelism', () => {
    for (const key of ['hello', 'Flink', '', 'user-42']) {
      const expected = referenceMurmurHash(stringHashCode(key)) % 128;
      expect(KeyGroupRangeAssignment.assignToKeyGroup(key, 128)).toBe(expected);
      expect(KeyGroupRangeAssignment.computeKeyGroupForKeyHash(stringHashCode(key), 128)).toBe(expected);
    }
    for (const key of [0, 1, -7, 123456])
      expect(KeyGroupRangeAssignment.assignToKeyGroup(key, 4096)).toBe(referenceMurmurHash(key) % 4096);
  });

  it('routes every key to the subtask whose range holds its key group', () => {
    for (const [m, p] of [
      [128, 3],
      [256, 100],
      [10, 4],
    ] as const) {
      for (let i = 0; i < 500; i++) {
        const key = `key-${i}`;
        const kg = KeyGroupRangeAssignment.assignToKeyGroup(key, m);
        expect(kg).toBeGreaterThanOrEqual(0);
        expect(kg).toBeLessThan(m);
        const subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(key, m, p);
        const range = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(m, p, subtask);
        expect(kg).toBeGreaterThanOrEqual(range.startKeyGroup);
        expect(kg).toBeLessThanOrEqual(range.endKeyGroup);
      }
    }
  });

  it('spreads sequential keys over the key groups', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(KeyGroupRangeAssignment.assignToKeyGroup(i, 128));
    expect(seen.size).toBe(128);
  });
});
