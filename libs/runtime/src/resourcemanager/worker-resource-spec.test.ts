import { describe, expect, it } from 'vitest';

import { MemorySize } from '../core/memory-size.js';
import { ResourceProfile } from '../core/resource-profile.js';
import { WorkerResourceSpec } from './worker-resource-spec.js';

describe('WorkerResourceSpec', () => {
  const total = ResourceProfile.fromResources(
    4,
    MemorySize.ofMebiBytes(512),
    MemorySize.ofMebiBytes(64),
    MemorySize.ofMebiBytes(256),
    MemorySize.ofMebiBytes(32),
  );

  it('takes CPU and memory from the total profile and network memory separately', () => {
    const spec = WorkerResourceSpec.fromTotalResourceProfile(total, MemorySize.ofMebiBytes(128), 4);

    expect(spec.getCpuCores()).toBe(4);
    expect(spec.getTaskHeapSize().getMebiBytes()).toBe(512);
    expect(spec.getTaskOffHeapSize().getMebiBytes()).toBe(64);
    expect(spec.getManagedMemSize().getMebiBytes()).toBe(256);
    // The profile's own network memory is not used: the argument is.
    expect(spec.getNetworkMemSize().getMebiBytes()).toBe(128);
    expect(spec.getNumSlots()).toBe(4);
  });

  it('gives back a total profile with the separate network memory', () => {
    const spec = WorkerResourceSpec.fromTotalResourceProfile(total, MemorySize.ofMebiBytes(128));

    expect(
      spec
        .getTotalResourceProfile()
        .equals(
          ResourceProfile.fromResources(
            4,
            MemorySize.ofMebiBytes(512),
            MemorySize.ofMebiBytes(64),
            MemorySize.ofMebiBytes(256),
            MemorySize.ofMebiBytes(128),
          ),
        ),
    ).toBe(true);
    expect(spec.getNumSlots()).toBe(1);
  });

  it('names every field in toString', () => {
    const text = WorkerResourceSpec.fromTotalResourceProfile(
      total,
      MemorySize.ofMebiBytes(128),
      2,
    ).toString();
    expect(text).toMatch(/^WorkerResourceSpec\{cpuCores=4, taskHeapSize=.*numSlots=2\}$/);
    expect(text).toContain('networkMemSize=');
    expect(text).toContain('managedMemSize=');
  });
});
