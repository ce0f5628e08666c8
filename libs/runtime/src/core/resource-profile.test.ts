import { describe, expect, it } from 'vitest';

import { IllegalArgumentError } from './errors.js';
import { MemorySize } from './memory-size.js';
import { ResourceProfile } from './resource-profile.js';

const mb = (n: number) => MemorySize.ofMebiBytes(n);

/** 2 cores, 400/200/800/100 mb of heap, off-heap, managed and network memory. */
const SLOT = ResourceProfile.fromResources(2, mb(400), mb(200), mb(800), mb(100));

describe('ResourceProfile', () => {
  it('builds from resources with zero defaults for the optional memories', () => {
    const profile = ResourceProfile.fromResources(1.5, mb(128));
    expect(profile.getCpuCores()).toBe(1.5);
    expect(profile.getTaskHeapMemory().getMebiBytes()).toBe(128);
    expect(profile.getTaskOffHeapMemory()).toBe(MemorySize.ZERO);
    expect(profile.getManagedMemory()).toBe(MemorySize.ZERO);
    expect(profile.getNetworkMemory()).toBe(MemorySize.ZERO);
    expect(profile.isUnknown()).toBe(false);
    expect(SLOT.getTotalMemory().getMebiBytes()).toBe(1500);
  });

  it('rejects negative or non-finite CPU cores', () => {
    expect(() => ResourceProfile.fromResources(-1, mb(1))).toThrow(IllegalArgumentError);
    expect(() => ResourceProfile.fromResources(Number.NaN, mb(1))).toThrow(IllegalArgumentError);
    expect(() => ResourceProfile.fromResources(Number.POSITIVE_INFINITY, mb(1))).toThrow(
      IllegalArgumentError,
    );
  });

  it('ANY (Flink UNKNOWN) is unknown; ZERO asks for nothing', () => {
    expect(ResourceProfile.UNKNOWN).toBe(ResourceProfile.ANY);
    expect(ResourceProfile.ANY.isUnknown()).toBe(true);
    expect(ResourceProfile.ZERO.isUnknown()).toBe(false);
    expect(ResourceProfile.ZERO.equals(ResourceProfile.fromResources(0, MemorySize.ZERO))).toBe(true);
    expect(ResourceProfile.ANY.equals(ResourceProfile.ZERO)).toBe(false);
    expect(ResourceProfile.ANY.toString()).toBe('ResourceProfile{UNKNOWN}');
  });

  it('matches a request only when every field of the slot is at least as large', () => {
    expect(SLOT.isMatching(SLOT)).toBe(true);
    expect(SLOT.isMatching(ResourceProfile.ZERO)).toBe(true);
    expect(SLOT.isMatching(ResourceProfile.fromResources(1, mb(400), mb(200), mb(800), mb(100)))).toBe(true);
    expect(SLOT.isMatching(ResourceProfile.fromResources(2.5, mb(1)))).toBe(false);
    expect(SLOT.isMatching(ResourceProfile.fromResources(1, mb(401)))).toBe(false);
    expect(SLOT.isMatching(ResourceProfile.fromResources(1, mb(1), mb(201)))).toBe(false);
    expect(SLOT.isMatching(ResourceProfile.fromResources(1, mb(1), mb(1), mb(801)))).toBe(false);
    expect(SLOT.isMatching(ResourceProfile.fromResources(1, mb(1), mb(1), mb(1), mb(101)))).toBe(false);
    expect(ResourceProfile.ZERO.isMatching(SLOT)).toBe(false);
  });

  it('an ANY request fits every slot, and an ANY slot runs every request', () => {
    expect(ResourceProfile.ZERO.isMatching(ResourceProfile.ANY)).toBe(true);
    expect(SLOT.isMatching(ResourceProfile.ANY)).toBe(true);
    expect(ResourceProfile.ANY.isMatching(SLOT)).toBe(true);
    expect(ResourceProfile.ANY.isMatching(ResourceProfile.ANY)).toBe(true);
  });

  it('merges field by field; ANY absorbs', () => {
    const merged = SLOT.merge(ResourceProfile.fromResources(1, mb(100), mb(0), mb(200), mb(0)));
    expect(merged.equals(ResourceProfile.fromResources(3, mb(500), mb(200), mb(1000), mb(100)))).toBe(true);
    expect(SLOT.merge(ResourceProfile.ZERO).equals(SLOT)).toBe(true);
    expect(SLOT.merge(ResourceProfile.ANY)).toBe(ResourceProfile.ANY);
    expect(ResourceProfile.ANY.merge(SLOT)).toBe(ResourceProfile.ANY);
  });

  it('subtracts field by field and refuses to go below zero', () => {
    const rest = SLOT.subtract(ResourceProfile.fromResources(1, mb(100), mb(50), mb(300), mb(25)));
    expect(rest.equals(ResourceProfile.fromResources(1, mb(300), mb(150), mb(500), mb(75)))).toBe(true);
    expect(SLOT.subtract(SLOT).equals(ResourceProfile.ZERO)).toBe(true);
    expect(() => SLOT.subtract(ResourceProfile.fromResources(3, mb(1)))).toThrow(IllegalArgumentError);
    expect(() => SLOT.subtract(ResourceProfile.fromResources(1, mb(401)))).toThrow('Cannot subtract');
    expect(SLOT.subtract(ResourceProfile.ANY)).toBe(ResourceProfile.ANY);
    expect(ResourceProfile.ANY.subtract(SLOT)).toBe(ResourceProfile.ANY);
  });

  it('divides evenly into whole parts, flooring bytes', () => {
    const total = ResourceProfile.fromResources(4, mb(400), mb(200), mb(800), MemorySize.ofBytes(10));
    const quarter = total.divide(4);
    expect(quarter.getCpuCores()).toBe(1);
    expect(quarter.getTaskHeapMemory().getMebiBytes()).toBe(100);
    expect(quarter.getTaskOffHeapMemory().getMebiBytes()).toBe(50);
    expect(quarter.getManagedMemory().getMebiBytes()).toBe(200);
    expect(quarter.getNetworkMemory().getBytes()).toBe(2);
    expect(total.divide(1).equals(total)).toBe(true);
    expect(ResourceProfile.ANY.divide(3)).toBe(ResourceProfile.ANY);
    expect(() => total.divide(0)).toThrow(IllegalArgumentError);
    expect(() => total.divide(1.5)).toThrow(IllegalArgumentError);
  });

  it('round-trips through its JSON form', () => {
    const json = SLOT.toJson();
    expect(json).toEqual({
      cpuCores: 2,
      taskHeapMemory: 400 * 1024 ** 2,
      taskOffHeapMemory: 200 * 1024 ** 2,
      managedMemory: 800 * 1024 ** 2,
      networkMemory: 100 * 1024 ** 2,
    });
    expect(ResourceProfile.fromJson(json).equals(SLOT)).toBe(true);
    expect(ResourceProfile.ANY.toJson().unknown).toBe(true);
    expect(ResourceProfile.fromJson(ResourceProfile.ANY.toJson())).toBe(ResourceProfile.ANY);
  });

  it('prints every field', () => {
    expect(ResourceProfile.fromResources(1, mb(64)).toString()).toBe(
      'ResourceProfile{cpuCores=1, taskHeapMemory=64 mb, taskOffHeapMemory=0 bytes, managedMemory=0 bytes, networkMemory=0 bytes}',
    );
  });
});
