import { describe, expect, it } from 'vitest';

import { IllegalArgumentError } from './errors.js';
import { MemorySize } from './memory-size.js';

const KB = 1024;
const MB = 1024 ** 2;
const GB = 1024 ** 3;
const TB = 1024 ** 4;

describe('MemorySize', () => {
  it.each([
    ['1024', 1024],
    ['0', 0],
    ['12b', 12],
    ['12 bytes', 12],
    ['512k', 512 * KB],
    ['512 kb', 512 * KB],
    ['2 kibibytes', 2 * KB],
    ['64mb', 64 * MB],
    ['64 MB', 64 * MB],
    ['64m', 64 * MB],
    ['3 mebibytes', 3 * MB],
    ['1 g', GB],
    ['1gb', GB],
    ['2 gibibytes', 2 * GB],
    ['1t', TB],
    ['1 tb', TB],
    ['1.5 kb', 1536],
    ['  7 mb  ', 7 * MB],
  ])('parses %j as %d bytes', (text, bytes) => {
    expect(MemorySize.parse(text).getBytes()).toBe(bytes);
  });

  it.each(['', 'mb', '-1', '1 zb', '1 2', 'ten mb'])('rejects %j, naming the text', (text) => {
    expect(() => MemorySize.parse(text)).toThrow(IllegalArgumentError);
    expect(() => MemorySize.parse(text)).toThrow(`'${text}'`);
  });

  it.each([
    [0, '0 bytes'],
    [1, '1 bytes'],
    [1536, '1536 bytes'],
    [KB, '1 kb'],
    [3 * KB, '3 kb'],
    [64 * MB, '64 mb'],
    [MB + KB, '1025 kb'],
    [GB, '1 gb'],
    [1536 * MB, '1536 mb'],
    [2 * TB, '2 tb'],
  ])('prints %d bytes as %j, the largest exact unit', (bytes, text) => {
    const size = MemorySize.ofBytes(bytes);
    expect(size.toString()).toBe(text);
    expect(size.toJSON()).toBe(text);
    expect(MemorySize.parse(size.toString()).equals(size)).toBe(true);
  });

  it('converts and computes', () => {
    const size = MemorySize.ofMebiBytes(3);
    expect(size.getBytes()).toBe(3 * MB);
    expect(size.getKibiBytes()).toBe(3 * KB);
    expect(size.getMebiBytes()).toBe(3);
    expect(MemorySize.ofBytes(MB - 1).getMebiBytes()).toBe(0);
    expect(size.add(MemorySize.ofMebiBytes(1)).getMebiBytes()).toBe(4);
    expect(size.subtract(MemorySize.ofMebiBytes(1)).getMebiBytes()).toBe(2);
    expect(size.multiply(2).getMebiBytes()).toBe(6);
    expect(size.divide(2).getBytes()).toBe(1.5 * MB);
    expect(MemorySize.ofBytes(7).divide(2).getBytes()).toBe(3);
    expect(size.compareTo(MemorySize.ofMebiBytes(4))).toBe(-1);
    expect(size.compareTo(MemorySize.ofMebiBytes(3))).toBe(0);
    expect(size.compareTo(MemorySize.ZERO)).toBe(1);
    expect(MemorySize.ofBytes(0)).toBe(MemorySize.ZERO);
  });

  it('never goes negative and saturates at MAX_VALUE', () => {
    expect(() => MemorySize.ofMebiBytes(1).subtract(MemorySize.ofMebiBytes(2))).toThrow(IllegalArgumentError);
    expect(() => MemorySize.ofBytes(-1)).toThrow(IllegalArgumentError);
    expect(() => MemorySize.ofBytes(1.5)).toThrow(IllegalArgumentError);
    expect(MemorySize.MAX_VALUE.add(MemorySize.MAX_VALUE).equals(MemorySize.MAX_VALUE)).toBe(true);
  });
});
