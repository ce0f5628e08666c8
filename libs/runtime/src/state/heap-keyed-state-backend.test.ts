import { describe, expect, it } from 'vitest';

import { IllegalArgumentError } from '../core/errors.js';
import { HeapKeyedStateBackend } from './heap-keyed-state-backend.js';
import type { KeyGroupRange } from './key-group-range-assignment.js';
import { KeyGroupRangeAssignment } from './key-group-range-assignment.js';
import type { AggregateFunction, StateReader } from './state-api.js';
import { StateDescriptors } from './state-api.js';
import {
  IncompatibleStateError,
  KeyGroupOutOfRangeError,
  NoCurrentKeyError,
  StateRestoreError,
} from './state-errors.js';
import {
  CHECKPOINT_OPTIONS,
  MemoryStreamFactory,
  readMemoryHandle,
} from './testing/memory-stream-factory.js';

const FULL: KeyGroupRange = { startKeyGroup: 0, endKeyGroup: 127 };

function backend<K>(keyGroupRange: KeyGroupRange = FULL, maxParallelism = 128): HeapKeyedStateBackend<K> {
  return new HeapKeyedStateBackend<K>({ keyGroupRange, maxParallelism });
}

function snapshot<K>(state: HeapKeyedStateBackend<K>, factory = new MemoryStreamFactory()) {
  return state.snapshot(1, 1000, factory, CHECKPOINT_OPTIONS);
}

/** Average of numbers, as Flink's AggregateFunction tests do. */
const average: AggregateFunction<number, { sum: number; count: number }, number> = {
  createAccumulator: () => ({ sum: 0, count: 0 }),
  add: (value, acc) => ({ sum: acc.sum + value, count: acc.count + 1 }),
  getResult: (acc) => acc.sum / acc.count,
  merge: (a, b) => ({ sum: a.sum + b.sum, count: a.count + b.count }),
};

describe('HeapKeyedStateBackend: the five kinds of state', () => {
  it('value state: per key, the default when empty, clear removes the entry', () => {
    const state = backend<string>();
    const value = state.getValueState(StateDescriptors.value<number>('count', 0));
    state.setCurrentKey('a');
    expect(value.value()).toBe(0);
    value.update(5);
    state.setCurrentKey('b');
    expect(value.value()).toBe(0);
    value.update(7);
    state.setCurrentKey('a');
    expect(value.value()).toBe(5);
    expect(state.numberOfKeys()).toBe(2);
    value.clear();
    expect(value.value()).toBe(0);
    expect(state.numberOfKeys()).toBe(1);
    const noDefault = state.getValueState(StateDescriptors.value<string>('name'));
    expect(noDefault.value()).toBeUndefined();
  });

  it('list state: [] when empty, add/addAll/update, update([]) and clear remove the entry', () => {
    const state = backend<number>();
    const list = state.getListState(StateDescriptors.list<string>('events'));
    state.setCurrentKey(1);
    expect(list.get()).toEqual([]);
    list.add('x');
    list.addAll(['y', 'z']);
    expect(list.get()).toEqual(['x', 'y', 'z']);
    state.setCurrentKey(2);
    list.addAll([]);
    expect(state.numberOfKeys()).toBe(1);
    list.update(['only']);
    expect(list.get()).toEqual(['only']);
    list.update([]);
    expect(list.get()).toEqual([]);
    state.setCurrentKey(1);
    list.clear();
    expect(list.get()).toEqual([]);
    expect(state.numberOfKeys()).toBe(0);
  });

  it('map state: per-key maps; removing the last entry removes the key', () => {
    const state = backend<string>();
    const map = state.getMapState(StateDescriptors.map<string, number>('seen'));
    state.setCurrentKey('k');
    expect(map.isEmpty()).toBe(true);
    expect([...map.entries()]).toEqual([]);
    map.put('a', 1);
    map.putAll([
      ['b', 2],
      ['c', 3],
    ]);
    expect(map.get('b')).toBe(2);
    expect(map.contains('c')).toBe(true);
    expect(map.contains('d')).toBe(false);
    expect([...map.keys()]).toEqual(['a', 'b', 'c']);
    expect([...map.values()]).toEqual([1, 2, 3]);
    state.setCurrentKey('other');
    expect(map.get('a')).toBeUndefined();
    state.setCurrentKey('k');
    map.remove('a');
    map.remove('b');
    expect(state.numberOfKeys()).toBe(1);
    map.remove('c');
    expect(map.isEmpty()).toBe(true);
    expect(state.numberOfKeys()).toBe(0);
    map.put('x', 9);
    map.clear();
    expect(map.isEmpty()).toBe(true);
  });

  it('reducing state: the first value, then reduce(current, value)', () => {
    const state = backend<string>();
    const max = state.getReducingState(StateDescriptors.reducing<number>('max', (a, b) => Math.max(a, b)));
    state.setCurrentKey('k');
    expect(max.get()).toBeUndefined();
    for (const value of [3, 9, 4]) max.add(value);
    expect(max.get()).toBe(9);
    max.clear();
    expect(max.get()).toBeUndefined();
  });

  it('aggregating state: accumulator per key, get() is the result', () => {
    const state = backend<string>();
    const avg = state.getAggregatingState(StateDescriptors.aggregating('avg', average));
    state.setCurrentKey('k');
    expect(avg.get()).toBeUndefined();
    avg.add(1);
    avg.add(2);
    state.setCurrentKey('j');
    avg.add(10);
    expect(avg.get()).toBe(10);
    state.setCurrentKey('k');
    expect(avg.get()).toBe(1.5);
    avg.clear();
    expect(avg.get()).toBeUndefined();
  });

  it('counts distinct keys over all states and lists the keys of a state', () => {
    const state = backend<string>();
    const a = state.getValueState(StateDescriptors.value<number>('a'));
    const b = state.getListState(StateDescriptors.list<number>('b'));
    for (const key of ['x', 'y', 'z']) {
      state.setCurrentKey(key);
      a.update(1);
    }
    for (const key of ['y', 'w']) {
      state.setCurrentKey(key);
      b.add(1);
    }
    expect(state.numberOfKeys()).toBe(4);
    expect(new Set(state.getKeys('a'))).toEqual(new Set(['x', 'y', 'z']));
    expect([...state.getKeys('missing')]).toEqual([]);
  });

  it('returns the same accessor for the same name, and rejects another kind for it', () => {
    const state = backend<string>();
    const descriptor = StateDescriptors.value<number>('s');
    expect(state.getValueState(descriptor)).toBe(state.getValueState(descriptor));
    expect(() => state.getListState(StateDescriptors.list<number>('s'))).toThrow(IncompatibleStateError);
    expect(() => state.getMapState(StateDescriptors.map<string, number>('s'))).toThrow(
      "State 's' is registered as value state and cannot be used as map state.",
    );
  });

  it('rejects state access before a key is set', () => {
    const state = backend<string>();
    const value = state.getValueState(StateDescriptors.value<number>('v'));
    expect(() => value.value()).toThrow(NoCurrentKeyError);
    expect(() => {
      value.update(1);
    }).toThrow(NoCurrentKeyError);
  });

  it('supports number, boolean, bigint and array keys, with arrays compared by content', () => {
    const state = backend<unknown>();
    const value = state.getValueState(StateDescriptors.value<string>('v'));
    const keys: unknown[] = [1, '1', true, 1n, ['a', 1], ['a', '1'], [1n, [true]], '\u0000a["a",1]', [NaN]];
    for (const [i, key] of keys.entries()) {
      state.setCurrentKey(key);
      value.update(`v${i}`);
    }
    expect(state.numberOfKeys()).toBe(keys.length);
    for (const [i, key] of keys.entries()) {
      state.setCurrentKey(structuredClone(key));
      expect(value.value()).toBe(`v${i}`);
    }
    expect(new Set(state.getKeys('v'))).toEqual(new Set(keys));
    expect(() => {
      state.setCurrentKey({ a: 1 });
    }).toThrow(IllegalArgumentError);
  });
});

describe('HeapKeyedStateBackend: key groups', () => {
  it('shards state by key group and knows the current key group', () => {
    const state = backend<string>();
    const value = state.getValueState(StateDescriptors.value<number>('v'));
    for (let i = 0; i < 1000; i++) {
      state.setCurrentKey(`key-${i}`);
      expect(state.getCurrentKeyGroupIndex()).toBe(KeyGroupRangeAssignment.assignToKeyGroup(`key-${i}`, 128));
      value.update(i);
    }
    expect(state.getCurrentKey()).toBe('key-999');
    expect(state.numberOfKeys()).toBe(1000);
  });

  it('computes the key group of every key type as KeyGroupRangeAssignment.assignToKeyGroup does', () => {
    const state = backend<unknown>(FULL);
    const keys: unknown[] = [
      0,
      -1,
      42,
      2 ** 31,
      -(2 ** 40),
      1.5,
      NaN,
      '',
      'Flink',
      true,
      false,
      9n,
      [1, 'a'],
    ];
    for (let i = 0; i < 500; i++) keys.push(i * 7919, -i, `user-${i}`, [i, `k${i}`]);
    for (const key of keys) {
      state.setCurrentKey(key);
      expect(state.getCurrentKeyGroupIndex()).toBe(KeyGroupRangeAssignment.assignToKeyGroup(key, 128));
    }
  });

  it('rejects a key outside its range, naming the key, its key group and the range', () => {
    const range = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(128, 4, 1);
    const state = backend<string>(range);
    let outside = 'k';
    for (let i = 0; ; i++) {
      outside = `key-${i}`;
      if (KeyGroupRangeAssignment.assignKeyToParallelOperator(outside, 128, 4) !== 1) break;
    }
    const keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(outside, 128);
    let error: unknown;
    try {
      state.setCurrentKey(outside);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(KeyGroupOutOfRangeError);
    const { message } = error as KeyGroupOutOfRangeError;
    expect(message).toContain(`"${outside}"`);
    expect(message).toContain(`key group ${keyGroup}`);
    expect(message).toContain(`startKeyGroup=${range.startKeyGroup}, endKeyGroup=${range.endKeyGroup}`);
    expect(error).toMatchObject({ key: outside, keyGroup, keyGroupRange: range });
  });

  it('rejects a max parallelism or a key group range that does not fit', () => {
    expect(() => backend(FULL, 0)).toThrow(IllegalArgumentError);
    expect(() => backend(FULL, 64)).toThrow(IllegalArgumentError);
    expect(() => backend({ startKeyGroup: 5, endKeyGroup: 4 })).toThrow(IllegalArgumentError);
  });
});

describe('HeapKeyedStateBackend: snapshots', () => {
  it('resolves to undefined without state, and writes one keyed stream otherwise', async () => {
    const state = backend<string>();
    const value = state.getValueState(StateDescriptors.value<number>('v'));
    expect(await snapshot(state)).toBeUndefined();
    state.setCurrentKey('a');
    value.update(1);
    value.clear();
    expect(await snapshot(state)).toBeUndefined();
    value.update(2);
    const factory = new MemoryStreamFactory();
    const handle = await snapshot(state, factory);
    expect(handle?.keyGroupRange).toEqual(FULL);
    expect(handle?.stream.type).toBe('bytes');
    expect(factory.writes.map((write) => write.nameHint)).toEqual(['keyed']);
  });

  it('is not affected by writes after it was taken', async () => {
    const state = backend<string>();
    const value = state.getValueState(StateDescriptors.value<number>('v'));
    const list = state.getListState(StateDescriptors.list<number>('l'));
    const map = state.getMapState(StateDescriptors.map<string, number>('m'));
    state.setCurrentKey('a');
    value.update(1);
    list.add(1);
    map.put('x', 1);
    const pending = snapshot(state);
    value.update(2);
    list.add(2);
    map.put('y', 2);
    state.setCurrentKey('b');
    value.update(3);
    const handle = await pending;

    const restored = backend<string>();
    await restored.restore([handle!], readMemoryHandle);
    expect(restored.numberOfKeys()).toBe(1);
    restored.setCurrentKey('a');
    expect(restored.getValueState(StateDescriptors.value<number>('v')).value()).toBe(1);
    expect(restored.getListState(StateDescriptors.list<number>('l')).get()).toEqual([1]);
    expect([...restored.getMapState(StateDescriptors.map<string, number>('m')).entries()]).toEqual([
      ['x', 1],
    ]);
  });

  it('restores every kind of state, including the accumulators of aggregating state', async () => {
    const state = backend<[string, number]>();
    const sum = state.getReducingState(StateDescriptors.reducing<number>('sum', (a, b) => a + b));
    const avg = state.getAggregatingState(StateDescriptors.aggregating('avg', average));
    state.setCurrentKey(['a', 1]);
    sum.add(2);
    sum.add(3);
    avg.add(4);
    avg.add(6);
    const handle = await snapshot(state);
    const restored = backend<[string, number]>();
    await restored.restore([handle!], readMemoryHandle);
    restored.setCurrentKey(['a', 1]);
    expect(restored.getReducingState(StateDescriptors.reducing<number>('sum', (a, b) => a + b)).get()).toBe(
      5,
    );
    restored.getAggregatingState(StateDescriptors.aggregating('avg', average)).add(8);
    expect(restored.getAggregatingState(StateDescriptors.aggregating('avg', average)).get()).toBe(6);
    expect([...restored.getKeys('sum')]).toEqual([['a', 1]]);
  });

  it('rejects a snapshot of another max parallelism, another kind, or another format', async () => {
    const state = backend<string>();
    state.setCurrentKey('a');
    state.getValueState(StateDescriptors.value<number>('v')).update(1);
    const handle = (await snapshot(state))!;
    await expect(backend<string>(FULL, 256).restore([handle], readMemoryHandle)).rejects.toThrow(
      StateRestoreError,
    );
    const other = backend<string>();
    other.getListState(StateDescriptors.list<number>('v'));
    await expect(other.restore([handle], readMemoryHandle)).rejects.toThrow(IncompatibleStateError);
    const garbage: StateReader = () => Promise.resolve(new Uint8Array([1, 2, 3]));
    await expect(backend<string>().restore([handle], garbage)).rejects.toThrow();
  });
});
