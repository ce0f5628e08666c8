import { EddyError, IllegalArgumentError, IllegalStateError } from '../core/errors.js';
import type { KeyGroupRange } from './key-group-range-assignment.js';

/**
 * A key was set on a keyed state backend whose key-group range does not hold the key's key group.
 * Outside low-level state access this means the key's routing and its state disagree: a key whose
 * hash is not deterministic, or records keyed by one function and stored under another.
 */
export class KeyGroupOutOfRangeError extends IllegalArgumentError {
  constructor(
    readonly key: unknown,
    readonly keyGroup: number,
    readonly keyGroupRange: KeyGroupRange,
  ) {
    super(
      `Key ${describeKey(key)} belongs to key group ${keyGroup}, which is not in this backend's ` +
        `KeyGroupRange{startKeyGroup=${keyGroupRange.startKeyGroup}, endKeyGroup=${keyGroupRange.endKeyGroup}}. ` +
        'Unless state is accessed directly, this is most likely caused by a non-deterministic key ' +
        '(the key must hash the same way when records are routed and when their state is accessed).',
    );
  }
}

/** A state name was registered (or restored) as one kind of state and is now asked for as another. */
export class IncompatibleStateError extends IllegalStateError {
  constructor(
    readonly stateName: string,
    readonly registeredAs: string,
    readonly requestedAs: string,
  ) {
    super(
      `State '${stateName}' is registered as ${registeredAs} state and cannot be used as ${requestedAs} state.`,
    );
  }
}

/** State was accessed on a keyed state backend before any key was set. */
export class NoCurrentKeyError extends IllegalStateError {
  constructor(readonly stateName: string) {
    super(`No key set: call setCurrentKey before accessing keyed state '${stateName}'.`);
  }
}

/** A snapshot cannot be restored: unknown format, another max parallelism, or inconsistent modes. */
export class StateRestoreError extends EddyError {}

/** A key as it reads in an error message: strings quoted, bigints with `n`, arrays in brackets. */
export function describeKey(key: unknown): string {
  switch (typeof key) {
    case 'string':
      return JSON.stringify(key);
    case 'bigint':
      return `${key}n`;
    case 'number':
    case 'boolean':
      return String(key);
    default:
      if (Array.isArray(key)) return `[${(key as unknown[]).map(describeKey).join(', ')}]`;
      return key === null ? 'null' : typeof key;
  }
}
