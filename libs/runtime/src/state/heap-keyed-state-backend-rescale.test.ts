import { describe, expect, it } from 'vitest';

import { HeapKeyedStateBackend } from './heap-keyed-state-backend.js';
import type { KeyGroupRange } from './key-group-range-assignment.js';
import { KeyGroupRangeAssignment } from './key-group-range-assignment.js';
import type { StateReader } from './state-api.js';
import { StateDescriptors } from './state-api.js';
import type { KeyGroupsStateHandle } from './state-handles.js';
import {
  CHECKPOINT_OPTIONS,
  MemoryStreamFactory,
  readMemoryHandle,
} from './testing/memory-stream-factory.js';

function backend<K>(keyGroupRange: KeyGroupRange, maxParallelism: number): HeapKeyedStateBackend<K> {
  return new HeapKeyedStateBackend<K>({ keyGroupRange, maxParallelism });
}

function snapshot<K>(state: HeapKeyedStateBackend<K>) {
  return state.snapshot(1, 1000, new MemoryStreamFactory(), CHECKPOINT_OPTIONS);
}

describe('HeapKeyedStateBackend: rescaling', () => {
  const MAX_PARALLELISM = 128;
  const KEYS = Array.from({ length: 5000 }, (_, i) => (i % 2 === 0 ? `key-${i}` : i));

  function ranges(parallelism: number): KeyGroupRange[] {
    return Array.from({ length: parallelism }, (_, i) =>
      KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, parallelism, i),
    );
  }

  async function snapshotAt(parallelism: number): Promise<KeyGroupsStateHandle[]> {
    const backends = ranges(parallelism).map((range) => backend<string | number>(range, MAX_PARALLELISM));
    for (const key of KEYS) {
      const subtask = KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, parallelism);
      const state = backends[subtask]!;
      state.setCurrentKey(key);
      state.getValueState(StateDescriptors.value<string>('v')).update(`value-${key}`);
      state.getListState(StateDescriptors.list<string | number>('l')).add(key);
    }
    const handles = await Promise.all(backends.map((state) => snapshot(state)));
    return handles.filter((handle) => handle !== undefined);
  }

  it.each([
    [2, 4],
    [4, 2],
    [3, 5],
    [1, 3],
    [5, 1],
  ])('%d → %d subtasks: every key exactly once, in the subtask that owns it', async (from, to) => {
    const handles = await snapshotAt(from);
    expect(handles).toHaveLength(from);
    const seen = new Map<string | number, number>();
    for (const [subtask, range] of ranges(to).entries()) {
      let reads = 0;
      const read: StateReader = (handle) => {
        reads++;
        return readMemoryHandle(handle);
      };
      const restored = backend<string | number>(range, MAX_PARALLELISM);
      await restored.restore(handles, read);
      // Only the old handles whose ranges intersect this range are read.
      const intersecting = handles.filter(
        (handle) =>
          handle.keyGroupRange.endKeyGroup >= range.startKeyGroup &&
          handle.keyGroupRange.startKeyGroup <= range.endKeyGroup,
      );
      expect(reads).toBe(intersecting.length);
      for (const key of restored.getKeys('v')) {
        expect(seen.has(key)).toBe(false);
        seen.set(key, subtask);
        expect(KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, to)).toBe(subtask);
        restored.setCurrentKey(key);
        expect(restored.getValueState(StateDescriptors.value<string>('v')).value()).toBe(`value-${key}`);
        expect(restored.getListState(StateDescriptors.list<string | number>('l')).get()).toEqual([key]);
      }
      expect(restored.numberOfKeys()).toBe(
        KEYS.filter(
          (key) => KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, to) === subtask,
        ).length,
      );
    }
    expect(seen.size).toBe(KEYS.length);
  });
});
