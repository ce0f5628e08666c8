import { IllegalArgumentError } from '../core/errors.js';

/** Java's `String.hashCode()`: `s[0]*31^(n-1) + … + s[n-1]` in 32-bit arithmetic over UTF-16 units. */
export function stringHashCode(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0;
  return hash;
}

const scratch = new DataView(new ArrayBuffer(8));

/** Java's `Long.hashCode()` for integers, `Double.hashCode()` for other numbers. */
export function numberHashCode(value: number): number {
  if (Number.isSafeInteger(value)) {
    if ((value | 0) === value) return value; // Integer.hashCode
    scratch.setBigInt64(0, BigInt(value));
  } else {
    scratch.setFloat64(0, Number.isNaN(value) ? NaN : value);
  }
  return (scratch.getInt32(0) ^ scratch.getInt32(4)) | 0;
}

/**
 * The Java `hashCode()` of a key, for the key types Eddy supports: strings, numbers (an integer
 * hashes as Java's Integer/Long, other numbers as Double), booleans, bigints, and arrays of these
 * (as Java's `Arrays.hashCode`, which is what Flink's tuple keys reduce to). Anything else is
 * rejected: a key must hash the same way in every process and after every restart.
 */
export function hashCodeOf(key: unknown): number {
  switch (typeof key) {
    case 'string':
      return stringHashCode(key);
    case 'number':
      return numberHashCode(key);
    case 'boolean':
      return key ? 1231 : 1237;
    case 'bigint': {
      scratch.setBigInt64(0, BigInt.asIntN(64, key));
      return (scratch.getInt32(0) ^ scratch.getInt32(4)) | 0;
    }
    default:
      if (Array.isArray(key)) {
        let hash = 1;
        for (const element of key as unknown[]) hash = (Math.imul(hash, 31) + hashCodeOf(element)) | 0;
        return hash;
      }
      throw new IllegalArgumentError(
        `A key must be a string, number, boolean, bigint or an array of these, got ${key === null ? 'null' : typeof key}.`,
      );
  }
}
