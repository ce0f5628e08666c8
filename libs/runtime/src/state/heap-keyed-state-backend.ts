import { deserialize, serialize } from 'node:v8';

import type { CheckpointOptions } from '../checkpoint/checkpoint-types.js';
import type { CheckpointStreamFactory } from '../checkpoint/storage/checkpoint-storage.js';
import { IllegalArgumentError } from '../core/errors.js';
import type { KeyedStateKind } from './heap-keyed-states.js';
import {
  HeapAggregatingState,
  HeapListState,
  HeapMapState,
  HeapReducingState,
  HeapStateTable,
  HeapValueState,
  KeyContext,
} from './heap-keyed-states.js';
import { hashCodeOf, stringHashCode } from './java-hash-code.js';
import type { KeyGroupRange } from './key-group-range-assignment.js';
import { KeyGroupRangeAssignment, UPPER_BOUND_MAX_PARALLELISM } from './key-group-range-assignment.js';
import type {
  AggregateFunction,
  AggregatingState,
  AggregatingStateDescriptor,
  KeyedStateBackend,
  ListState,
  ListStateDescriptor,
  MapState,
  MapStateDescriptor,
  ReducingState,
  ReducingStateDescriptor,
  StateReader,
  ValueState,
  ValueStateDescriptor,
} from './state-api.js';
import { IncompatibleStateError, KeyGroupOutOfRangeError, StateRestoreError } from './state-errors.js';
import type { KeyGroupsStateHandle } from './state-handles.js';
import type { StateMapKey } from './state-map-key.js';
import { fromStateMapKey, toStateMapKey } from './state-map-key.js';

/** What a heap keyed state backend is built with. */
export interface HeapKeyedStateBackendOptions {
  /** The key groups this subtask owns (inclusive); setting a key of another key group throws. */
  readonly keyGroupRange: KeyGroupRange;
  /** The operator's max parallelism: the number of key groups, in [1, 32768]. No default. */
  readonly maxParallelism: number;
}

/** Version of the snapshot layout below; a restore rejects any other. */
const SNAPSHOT_VERSION = 1;

/**
 * What a keyed snapshot holds (serialized with `v8.serialize`): the states by position, then one
 * entry per non-empty key group with the Map of each non-empty state in it, so a restore keeps the
 * key groups of its range and adopts their Maps as they are.
 */
interface KeyedSnapshotPayload {
  readonly version: typeof SNAPSHOT_VERSION;
  readonly maxParallelism: number;
  readonly states: readonly (readonly [name: string, kind: KeyedStateKind])[];
  readonly groups: readonly (readonly [
    keyGroup: number,
    states: readonly (readonly [stateIndex: number, entries: Map<StateMapKey, unknown>])[],
  ])[];
}

/**
 * Keyed state on the JavaScript heap (Flink's HeapKeyedStateBackend): value, list, map, reducing
 * and aggregating state, each a table sharded by key group (see {@link HeapStateTable}).
 * `setCurrentKey` computes the key's key group once (Flink's formulas) and is free when the same
 * key repeats; state access is then one array index and one Map operation, synchronous.
 *
 * Snapshots are full copies of the range, serialized synchronously (later writes never reach a
 * snapshot taken earlier) and written asynchronously. A restore takes handles of any old ranges
 * and keeps exactly the key groups of this backend's range, which is how keyed state rescales.
 */
export class HeapKeyedStateBackend<K> implements KeyedStateBackend<K> {
  private readonly keyGroupRange: KeyGroupRange;
  private readonly maxParallelism: number;
  private readonly startKeyGroup: number;
  private readonly endKeyGroup: number;
  private readonly numberOfShards: number;
  private readonly context = new KeyContext();
  private currentKey: K | undefined = undefined;
  private readonly tables = new Map<string, HeapStateTable>();
  /** Accessors by state name: asking twice for a state returns the same object. */
  private readonly accessors = new Map<string, unknown>();

  constructor(options: HeapKeyedStateBackendOptions) {
    const { keyGroupRange, maxParallelism } = options;
    if (
      !Number.isInteger(maxParallelism) ||
      maxParallelism < 1 ||
      maxParallelism > UPPER_BOUND_MAX_PARALLELISM
    ) {
      throw new IllegalArgumentError(
        `The max parallelism must be a whole number in [1, ${UPPER_BOUND_MAX_PARALLELISM}], got ${maxParallelism}.`,
      );
    }
    const { startKeyGroup, endKeyGroup } = keyGroupRange;
    if (
      !Number.isInteger(startKeyGroup) ||
      !Number.isInteger(endKeyGroup) ||
      startKeyGroup < 0 ||
      endKeyGroup < startKeyGroup ||
      endKeyGroup >= maxParallelism
    ) {
      throw new IllegalArgumentError(
        `The key group range [${startKeyGroup}, ${endKeyGroup}] is not a non-empty range within ` +
          `[0, ${maxParallelism - 1}] (max parallelism ${maxParallelism}).`,
      );
    }
    this.keyGroupRange = { startKeyGroup, endKeyGroup };
    this.maxParallelism = maxParallelism;
    this.startKeyGroup = startKeyGroup;
    this.endKeyGroup = endKeyGroup;
    this.numberOfShards = endKeyGroup - startKeyGroup + 1;
  }

  /** @throws KeyGroupOutOfRangeError when the key's key group is outside this backend's range */
  setCurrentKey(key: K): void {
    if (key === this.currentKey && this.context.shard >= 0) return;
    // KeyGroupRangeAssignment.assignToKeyGroup, with the hash of the usual key types inline: a
    // call into the generic hashCodeOf here costs about a third of a state access.
    const hash =
      typeof key === 'number' && (key | 0) === key
        ? key
        : typeof key === 'string'
          ? stringHashCode(key)
          : hashCodeOf(key);
    const keyGroup = KeyGroupRangeAssignment.computeKeyGroupForKeyHash(hash, this.maxParallelism);
    if (keyGroup < this.startKeyGroup || keyGroup > this.endKeyGroup) {
      throw new KeyGroupOutOfRangeError(key, keyGroup, this.keyGroupRange);
    }
    this.context.mapKey = toStateMapKey(key);
    this.context.shard = keyGroup - this.startKeyGroup;
    this.currentKey = key;
  }

  getCurrentKey(): K | undefined {
    return this.currentKey;
  }

  /** The key group of the current key, or -1 before any key is set. */
  getCurrentKeyGroupIndex(): number {
    return this.context.shard < 0 ? -1 : this.startKeyGroup + this.context.shard;
  }

  getKeyGroupRange(): KeyGroupRange {
    return this.keyGroupRange;
  }

  getValueState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T> {
    return this.accessor(
      descriptor.name,
      'value',
      (table) => new HeapValueState<T>(table, descriptor.defaultValue as T),
    );
  }

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.accessor(descriptor.name, 'list', (table) => new HeapListState<T>(table));
  }

  getMapState<KK, V>(descriptor: MapStateDescriptor<KK, V>): MapState<KK, V> {
    return this.accessor(descriptor.name, 'map', (table) => new HeapMapState<KK, V>(table));
  }

  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T> {
    const reduce = descriptor.reduce as (a: T, b: T) => T;
    return this.accessor(descriptor.name, 'reducing', (table) => new HeapReducingState<T>(table, reduce));
  }

  getAggregatingState<IN, OUT>(descriptor: AggregatingStateDescriptor<IN, OUT>): AggregatingState<IN, OUT> {
    const aggregate = descriptor.aggregate as AggregateFunction<IN, unknown, OUT>;
    return this.accessor(
      descriptor.name,
      'aggregating',
      (table) => new HeapAggregatingState<IN, unknown, OUT>(table, aggregate),
    );
  }

  /** Distinct keys with an entry in any state. */
  numberOfKeys(): number {
    const tables = [...this.tables.values()];
    if (tables.length === 1) return tables[0]?.size() ?? 0;
    let count = 0;
    for (let shard = 0; shard < this.numberOfShards; shard++) {
      const keys = new Set<StateMapKey>();
      for (const table of tables) {
        const entries = table.shards[shard];
        if (entries !== undefined) for (const key of entries.keys()) keys.add(key);
      }
      count += keys.size;
    }
    return count;
  }

  /** The keys with an entry in one state, in key-group order (Flink's `getKeys`). */
  *getKeys(stateName: string): Generator<K> {
    const table = this.tables.get(stateName);
    if (table === undefined) return;
    for (const entries of table.shards) {
      if (entries !== undefined) for (const mapKey of entries.keys()) yield fromStateMapKey(mapKey) as K;
    }
  }

  /**
   * Serializes every state of the range before returning (the synchronous phase), then writes the
   * bytes through `streamFactory` as `keyed`. Resolves to undefined when no key has any state.
   */
  async snapshot(
    _checkpointId: number,
    _timestamp: number,
    streamFactory: CheckpointStreamFactory,
    _options: CheckpointOptions,
  ): Promise<KeyGroupsStateHandle | undefined> {
    // Runs synchronously, on the caller's turn: the bytes are fixed before any later write.
    const bytes = this.serializeState();
    if (bytes === undefined) return undefined;
    return { keyGroupRange: this.keyGroupRange, stream: await streamFactory.write(bytes, 'keyed') };
  }

  /**
   * Reads every handle whose range intersects this backend's and keeps the key groups of this
   * range, merged into any state already here.
   * @throws StateRestoreError on an unknown format or another max parallelism
   * @throws IncompatibleStateError when a state is restored as another kind than registered
   */
  async restore(handles: readonly KeyGroupsStateHandle[], read: StateReader): Promise<void> {
    for (const handle of handles) {
      const { startKeyGroup, endKeyGroup } = handle.keyGroupRange;
      if (endKeyGroup < this.startKeyGroup || startKeyGroup > this.endKeyGroup) continue;
      this.restorePayload(parsePayload(deserialize(await read(handle.stream))));
    }
  }

  dispose(): void {
    for (const table of this.tables.values()) table.clearAll();
    this.tables.clear();
    this.accessors.clear();
    this.currentKey = undefined;
    this.context.shard = -1;
  }

  private accessor<S>(name: string, kind: KeyedStateKind, create: (table: HeapStateTable) => S): S {
    const table = this.table(name, kind);
    const existing = this.accessors.get(name);
    if (existing !== undefined) return existing as S;
    const accessor = create(table);
    this.accessors.set(name, accessor);
    return accessor;
  }

  private table(name: string, kind: KeyedStateKind): HeapStateTable {
    let table = this.tables.get(name);
    if (table === undefined) {
      table = new HeapStateTable(name, kind, this.context, this.numberOfShards);
      this.tables.set(name, table);
    } else if (table.kind !== kind) {
      throw new IncompatibleStateError(name, table.kind, kind);
    }
    return table;
  }

  private serializeState(): Uint8Array | undefined {
    const tables = [...this.tables.values()];
    const groups: (readonly [number, (readonly [number, Map<StateMapKey, unknown>])[]])[] = [];
    for (let shard = 0; shard < this.numberOfShards; shard++) {
      let states: (readonly [number, Map<StateMapKey, unknown>])[] | undefined;
      for (let index = 0; index < tables.length; index++) {
        const entries = tables[index]?.shards[shard];
        if (entries !== undefined && entries.size > 0) (states ??= []).push([index, entries]);
      }
      if (states !== undefined) groups.push([this.startKeyGroup + shard, states]);
    }
    if (groups.length === 0) return undefined;
    const payload: KeyedSnapshotPayload = {
      version: SNAPSHOT_VERSION,
      maxParallelism: this.maxParallelism,
      states: tables.map((table) => [table.name, table.kind] as const),
      groups,
    };
    return serialize(payload);
  }

  private restorePayload(payload: KeyedSnapshotPayload): void {
    if (payload.maxParallelism !== this.maxParallelism) {
      throw new StateRestoreError(
        `The snapshot was taken with max parallelism ${payload.maxParallelism}, this backend has ` +
          `${this.maxParallelism}: key groups cannot be remapped (the max parallelism must not change).`,
      );
    }
    const tables = payload.states.map(([name, kind]) => this.table(name, kind));
    for (const [keyGroup, states] of payload.groups) {
      if (keyGroup < this.startKeyGroup || keyGroup > this.endKeyGroup) continue;
      const shard = keyGroup - this.startKeyGroup;
      for (const [index, entries] of states) {
        const table = tables[index];
        if (table === undefined)
          throw new StateRestoreError(`The snapshot names no state at position ${index}.`);
        const existing = table.shards[shard];
        if (existing === undefined) table.shards[shard] = entries;
        else for (const [key, value] of entries) existing.set(key, value);
      }
    }
  }
}

function parsePayload(value: unknown): KeyedSnapshotPayload {
  const payload = value as Partial<KeyedSnapshotPayload> | null;
  if (
    typeof payload !== 'object' ||
    payload === null ||
    payload.version !== SNAPSHOT_VERSION ||
    typeof payload.maxParallelism !== 'number' ||
    !Array.isArray(payload.states) ||
    !Array.isArray(payload.groups)
  ) {
    throw new StateRestoreError(
      `Not a keyed state snapshot of version ${SNAPSHOT_VERSION} (written by HeapKeyedStateBackend).`,
    );
  }
  return payload as KeyedSnapshotPayload;
}
