import { describe, expect, it } from 'vitest';

import { fromStateMapKey, toStateMapKey } from './state-map-key.js';

describe('state map keys', () => {
  it('keeps primitives as they are', () => {
    for (const key of ['a', '', 1, -2.5, true, 7n]) expect(toStateMapKey(key)).toBe(key);
  });

  it('encodes arrays by content, so equal arrays give one map key', () => {
    expect(toStateMapKey(['a', 1])).toBe(toStateMapKey(['a', 1]));
    expect(toStateMapKey(['a', 1])).not.toBe(toStateMapKey(['a', '1']));
    expect(toStateMapKey([1n])).not.toBe(toStateMapKey(['1']));
    expect(toStateMapKey([NaN])).not.toBe(toStateMapKey([Infinity]));
  });

  it('never confuses a string with an encoded array', () => {
    const array = toStateMapKey(['a', 1]);
    expect(typeof array).toBe('string');
    expect(toStateMapKey(array)).not.toBe(array);
  });

  it('round-trips every kind of key', () => {
    for (const key of [
      'x',
      '\u0000s',
      '\u0000a[1]',
      3,
      false,
      -9n,
      [],
      ['a', [1, [2n, true]]],
      [NaN, -Infinity],
    ]) {
      expect(fromStateMapKey(toStateMapKey(key))).toEqual(key);
    }
  });
});
