import { describe, expect, it } from 'vitest';

import { IllegalArgumentError } from '../core/errors.js';
import { hashCodeOf, numberHashCode, stringHashCode } from './java-hash-code.js';

/** Java's `String.hashCode()` with BigInt: Σ s[i]·31^(n-1-i), truncated to a signed 32-bit int. */
function referenceStringHash(value: string): number {
  let hash = 0n;
  for (let i = 0; i < value.length; i++) hash = hash * 31n + BigInt(value.charCodeAt(i));
  return Number(BigInt.asIntN(32, hash));
}

/** Java's `Long.hashCode(v)`: `(int) (v ^ (v >>> 32))`, with BigInt. */
function referenceLongHash(value: bigint): number {
  const unsigned = BigInt.asUintN(64, value);
  return Number(BigInt.asIntN(32, unsigned ^ (unsigned >> 32n)));
}

describe('stringHashCode (Java String.hashCode)', () => {
  it.each([
    ['', 0],
    ['a', 97],
    ['abc', 96354],
    ['hello', 99162322],
    ['Hello', 69609650],
    ['Flink', 67968320],
    ['hello world', 1794106052],
    // The famous string whose hash is Integer.MIN_VALUE.
    ['polygenelubricants', -2147483648],
    // Non-BMP characters hash as their two UTF-16 code units.
    ['😀', 0xd83d * 31 + 0xde00],
  ])('hashes %j as %d', (text, expected) => {
    expect(stringHashCode(text)).toBe(expected);
    expect(hashCodeOf(text)).toBe(expected);
  });

  it('agrees with a BigInt reimplementation on long and overflowing strings', () => {
    const samples = ['key-0', 'a much longer key that overflows many times', 'ÄÖÜß€', 'x'.repeat(1000)];
    for (let i = 0; i < 200; i++) samples.push(`user-${i * 7919}`);
    for (const sample of samples) expect(stringHashCode(sample)).toBe(referenceStringHash(sample));
  });
});

describe('numberHashCode', () => {
  it('hashes 32-bit integers as themselves (Integer.hashCode)', () => {
    for (const value of [0, 1, -1, 42, 2147483647, -2147483648]) expect(numberHashCode(value)).toBe(value);
  });

  it('hashes larger integers as Java longs', () => {
    for (const value of [
      2 ** 31,
      2 ** 32,
      -(2 ** 31) - 1,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      1234567890123,
    ]) {
      expect(numberHashCode(value)).toBe(referenceLongHash(BigInt(value)));
    }
    expect(numberHashCode(2 ** 32)).toBe(1);
    expect(numberHashCode(2 ** 31)).toBe(-2147483648);
  });

  it('hashes other numbers as Java doubles (bits of the IEEE 754 value)', () => {
    // Double.hashCode(1.5): bits 0x3FF8000000000000 -> 0x3FF80000.
    expect(numberHashCode(1.5)).toBe(0x3ff80000);
    // Double.hashCode(0.1): bits 0x3FB999999999999A -> 0x3FB99999 ^ 0x9999999A.
    expect(numberHashCode(0.1)).toBe((0x3fb99999 ^ 0x9999999a) | 0);
    // Double.NaN's canonical bits 0x7FF8000000000000.
    expect(numberHashCode(Number.NaN)).toBe(0x7ff80000);
    expect(numberHashCode(Number.POSITIVE_INFINITY)).toBe(0x7ff00000);
  });
});

describe('hashCodeOf', () => {
  it('hashes booleans as Java Boolean.hashCode', () => {
    expect(hashCodeOf(true)).toBe(1231);
    expect(hashCodeOf(false)).toBe(1237);
  });

  it('hashes bigints as Java longs', () => {
    for (const value of [0n, 1n, -1n, 2n ** 40n + 5n, -(2n ** 63n), 2n ** 63n - 1n])
      expect(hashCodeOf(value)).toBe(referenceLongHash(value));
    expect(hashCodeOf(-1n)).toBe(0);
  });

  it('hashes arrays as Arrays.hashCode of their elements', () => {
    expect(hashCodeOf([])).toBe(1);
    expect(hashCodeOf([1, 2])).toBe((31 * (31 * 1 + 1) + 2) | 0);
    expect(hashCodeOf(['hello', 7])).toBe((31 * (31 + 99162322) + 7) | 0);
    expect(hashCodeOf([['a'], true])).toBe((31 * (31 + (31 + 97)) + 1231) | 0);
  });

  it('rejects keys without a stable hash, naming their type', () => {
    expect(() => hashCodeOf(null)).toThrow(IllegalArgumentError);
    expect(() => hashCodeOf(null)).toThrow('got null');
    expect(() => hashCodeOf(undefined)).toThrow('got undefined');
    expect(() => hashCodeOf({ a: 1 })).toThrow('got object');
    expect(() => hashCodeOf(Symbol('s'))).toThrow('got symbol');
  });
});
