import { describe, expect, it } from 'vitest';

import { IllegalArgumentError } from '../core/errors.js';
import { DefaultOperatorStateBackend, evenSlice } from './default-operator-state-backend.js';
import type { StateReader } from './state-api.js';
import { StateDescriptors } from './state-api.js';
import { IncompatibleStateError, StateRestoreError } from './state-errors.js';
import type { OperatorStateHandle } from './state-handles.js';
import { OperatorStateDistributionMode } from './state-handles.js';
import {
  CHECKPOINT_OPTIONS,
  MemoryStreamFactory,
  readMemoryHandle,
} from './testing/memory-stream-factory.js';

const LIST = StateDescriptors.list<string>('offsets');
const UNION = StateDescriptors.list<string>('union');
const BROADCAST = StateDescriptors.map<string, number>('rules');

async function snapshot(backend: DefaultOperatorStateBackend): Promise<OperatorStateHandle> {
  const handle = await backend.snapshot(1, 1000, new MemoryStreamFactory(), CHECKPOINT_OPTIONS);
  if (handle === undefined) throw new Error('expected a handle');
  return handle;
}

/** Old subtask i holds list entries `s<i>-<j>`, union entry `u<i>`, and the same broadcast map. */
async function snapshotAt(parallelism: number, entriesPerSubtask: number): Promise<OperatorStateHandle[]> {
  const handles: OperatorStateHandle[] = [];
  for (let i = 0; i < parallelism; i++) {
    const backend = new DefaultOperatorStateBackend();
    backend.getListState(LIST).addAll(Array.from({ length: entriesPerSubtask }, (_, j) => `s${i}-${j}`));
    backend.getUnionListState(UNION).add(`u${i}`);
    backend.getBroadcastState(BROADCAST).putAll([
      ['a', 1],
      ['b', 2],
    ]);
    handles.push(await snapshot(backend));
  }
  return handles;
}

async function restoreAll(
  handles: readonly OperatorStateHandle[],
  oldParallelism: number,
  parallelism: number,
  read: StateReader = readMemoryHandle,
): Promise<DefaultOperatorStateBackend[]> {
  const restore = { managedKeyedState: [], managedOperatorState: handles, oldParallelism };
  const backends: DefaultOperatorStateBackend[] = [];
  for (let i = 0; i < parallelism; i++) {
    const backend = new DefaultOperatorStateBackend();
    await backend.restore(restore, i, parallelism, read);
    backends.push(backend);
  }
  return backends;
}

describe('DefaultOperatorStateBackend: states', () => {
  it('list, union list and broadcast state, one accessor per name', () => {
    const backend = new DefaultOperatorStateBackend();
    const list = backend.getListState(LIST);
    expect(backend.getListState(LIST)).toBe(list);
    expect(list.get()).toEqual([]);
    list.add('a');
    list.addAll(['b', 'c']);
    expect(list.get()).toEqual(['a', 'b', 'c']);
    list.update(['d']);
    expect(list.get()).toEqual(['d']);
    list.clear();
    expect(list.get()).toEqual([]);

    const broadcast = backend.getBroadcastState(BROADCAST);
    broadcast.put('x', 1);
    expect(broadcast.get('x')).toBe(1);
    expect(broadcast.contains('y')).toBe(false);
    broadcast.remove('x');
    expect(broadcast.isEmpty()).toBe(true);
  });

  it('rejects a name registered in another mode', () => {
    const backend = new DefaultOperatorStateBackend();
    backend.getListState(LIST);
    expect(() => backend.getUnionListState(LIST)).toThrow(IncompatibleStateError);
    expect(() => backend.getBroadcastState(StateDescriptors.map<string, number>('offsets'))).toThrow(
      "State 'offsets' is registered as SPLIT_DISTRIBUTE state and cannot be used as BROADCAST state.",
    );
  });

  it('snapshots nothing without state, and every state with its mode and count otherwise', async () => {
    const backend = new DefaultOperatorStateBackend();
    expect(await backend.snapshot(1, 1, new MemoryStreamFactory(), CHECKPOINT_OPTIONS)).toBeUndefined();
    backend.getListState(LIST).addAll(['a', 'b']);
    backend.getUnionListState(UNION);
    backend.getBroadcastState(BROADCAST).put('k', 1);
    const factory = new MemoryStreamFactory();
    const handle = await backend.snapshot(1, 1, factory, CHECKPOINT_OPTIONS);
    expect(handle?.states).toEqual({
      offsets: { mode: 'SPLIT_DISTRIBUTE', entries: 2 },
      union: { mode: 'UNION', entries: 0 },
      rules: { mode: 'BROADCAST', entries: 1 },
    });
    expect(factory.writes.map((write) => write.nameHint)).toEqual(['operator']);
  });

  it('is not affected by writes after it was taken, and keeps a state named __proto__', async () => {
    const backend = new DefaultOperatorStateBackend();
    const proto = backend.getListState(StateDescriptors.list<number>('__proto__'));
    proto.add(1);
    const pending = backend.snapshot(1, 1, new MemoryStreamFactory(), CHECKPOINT_OPTIONS);
    proto.add(2);
    const handle = (await pending)!;
    expect(Object.keys(handle.states)).toEqual(['__proto__']);
    const [restored] = await restoreAll([handle], 1, 1);
    expect(restored!.getListState(StateDescriptors.list<number>('__proto__')).get()).toEqual([1]);
  });
});

describe('DefaultOperatorStateBackend: redistribution (Flink RoundRobinOperatorStateRepartitioner)', () => {
  it('splits a pool evenly into contiguous slices', () => {
    const pool = Array.from({ length: 10 }, (_, i) => i);
    expect([0, 1, 2].map((i) => evenSlice(pool, i, 3))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect([0, 1, 2, 3].map((i) => evenSlice([1, 2], i, 4))).toEqual([[1], [2], [], []]);
  });

  it.each([
    [2, 4, 5],
    [4, 2, 3],
    [3, 5, 7],
    [2, 3, 0],
  ])(
    'SPLIT_DISTRIBUTE %d → %d (%d entries each): every entry once, evenly split',
    async (from, to, perSubtask) => {
      const handles = await snapshotAt(from, perSubtask);
      const backends = await restoreAll(handles, from, to);
      const shares = backends.map((backend) => backend.getListState(LIST).get());
      const all = shares.flat();
      const total = from * perSubtask;
      expect(all).toHaveLength(total);
      expect(new Set(all).size).toBe(total);
      // Pooled in old subtask order, handed out in contiguous slices.
      expect(all).toEqual(
        handles.flatMap((_, i) => Array.from({ length: perSubtask }, (__, j) => `s${i}-${j}`)),
      );
      for (const share of shares) {
        expect(share.length === Math.floor(total / to) || share.length === Math.ceil(total / to)).toBe(true);
      }
    },
  );

  it('SPLIT_DISTRIBUTE at unchanged parallelism: each subtask keeps its own entries', async () => {
    const handles = await snapshotAt(3, 4);
    // Uneven old subtasks show that nothing was re-split.
    const extra = new DefaultOperatorStateBackend();
    extra.getListState(LIST).addAll(['x', 'y', 'z', 'w', 'v', 'u']);
    extra.getUnionListState(UNION).add('u-extra');
    const uneven = [handles[0]!, handles[1]!, await snapshot(extra)];
    let reads = 0;
    const read: StateReader = (handle) => {
      reads++;
      return readMemoryHandle(handle);
    };
    const backends = await restoreAll(uneven, 3, 3, read);
    expect(backends.map((backend) => backend.getListState(LIST).get())).toEqual([
      ['s0-0', 's0-1', 's0-2', 's0-3'],
      ['s1-0', 's1-1', 's1-2', 's1-3'],
      ['x', 'y', 'z', 'w', 'v', 'u'],
    ]);
    // The union state is read from every handle by every subtask.
    expect(reads).toBe(9);
  });

  it('reads only its own handle at unchanged parallelism when there is no union state', async () => {
    const handles: OperatorStateHandle[] = [];
    for (let i = 0; i < 4; i++) {
      const backend = new DefaultOperatorStateBackend();
      backend.getListState(LIST).add(`own-${i}`);
      handles.push(await snapshot(backend));
    }
    let reads = 0;
    const backends = await restoreAll(handles, 4, 4, (handle) => {
      reads++;
      return readMemoryHandle(handle);
    });
    expect(reads).toBe(4);
    expect(backends.map((backend) => backend.getListState(LIST).get())).toEqual([
      ['own-0'],
      ['own-1'],
      ['own-2'],
      ['own-3'],
    ]);
  });

  it.each([
    [3, 2],
    [2, 5],
    [3, 3],
  ])('UNION %d → %d: every subtask gets all entries (testRepartitionUnionState)', async (from, to) => {
    const handles = await snapshotAt(from, 1);
    const backends = await restoreAll(handles, from, to);
    const expected = Array.from({ length: from }, (_, i) => `u${i}`);
    for (const backend of backends) expect(backend.getUnionListState(UNION).get()).toEqual(expected);
  });

  it.each([
    [3, 2],
    [2, 5],
    [3, 3],
  ])('BROADCAST %d → %d: one copy each (testRepartitionBroadcastState)', async (from, to) => {
    const handles = await snapshotAt(from, 1);
    const backends = await restoreAll(handles, from, to);
    for (const backend of backends) {
      expect([...backend.getBroadcastState(BROADCAST).entries()]).toEqual([
        ['a', 1],
        ['b', 2],
      ]);
    }
  });

  it('restores states without entries, so they exist after restore', async () => {
    const backend = new DefaultOperatorStateBackend();
    backend.getListState(LIST);
    backend.getBroadcastState(BROADCAST);
    const handle = await snapshot(backend);
    const [restored] = await restoreAll([handle], 1, 1);
    expect(() => restored!.getUnionListState(LIST)).toThrow(IncompatibleStateError);
    expect(() => restored!.getListState(StateDescriptors.list<string>('rules'))).toThrow(
      IncompatibleStateError,
    );
  });

  it('rejects a subtask index outside the parallelism, inconsistent modes and foreign data', async () => {
    const backend = new DefaultOperatorStateBackend();
    const restore = { managedKeyedState: [], managedOperatorState: [], oldParallelism: 1 };
    await expect(backend.restore(restore, 2, 2, readMemoryHandle)).rejects.toThrow(IllegalArgumentError);

    const a = new DefaultOperatorStateBackend();
    a.getListState(LIST).add('x');
    const b = new DefaultOperatorStateBackend();
    b.getUnionListState(UNION).add('y');
    const [handleA, handleB] = [await snapshot(a), await snapshot(b)];
    const mixed: OperatorStateHandle = {
      states: { offsets: { mode: OperatorStateDistributionMode.UNION, entries: 1 } },
      stream: handleA.stream,
    };
    await expect(
      new DefaultOperatorStateBackend().restore(
        { managedKeyedState: [], managedOperatorState: [handleA, mixed], oldParallelism: 2 },
        0,
        1,
        readMemoryHandle,
      ),
    ).rejects.toThrow(StateRestoreError);
    const garbage: StateReader = () => Promise.resolve(new Uint8Array([0xff, 0x0f, 0x49, 0x02]));
    await expect(
      new DefaultOperatorStateBackend().restore(
        { managedKeyedState: [], managedOperatorState: [handleB], oldParallelism: 1 },
        0,
        1,
        garbage,
      ),
    ).rejects.toThrow(StateRestoreError);
  });
});
