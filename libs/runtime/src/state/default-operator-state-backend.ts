import { deserialize, serialize } from 'node:v8';

import type { CheckpointOptions } from '../checkpoint/checkpoint-types.js';
import type { CheckpointStreamFactory } from '../checkpoint/storage/checkpoint-storage.js';
import { IllegalArgumentError } from '../core/errors.js';
import type {
  ListState,
  ListStateDescriptor,
  MapState,
  MapStateDescriptor,
  OperatorStateBackend,
  StateReader,
} from './state-api.js';
import { IncompatibleStateError, StateRestoreError } from './state-errors.js';
import type { OperatorStateHandle, OperatorStateRestore } from './state-handles.js';
import { OperatorStateDistributionMode } from './state-handles.js';

type ListMode =
  typeof OperatorStateDistributionMode.SPLIT_DISTRIBUTE | typeof OperatorStateDistributionMode.UNION;

/** The entries of one operator list state (replaced as a whole by `update` and `clear`). */
interface ListEntries {
  entries: unknown[];
}

/** Version of the snapshot layout; a restore rejects any other. */
const SNAPSHOT_VERSION = 1;

/** What an operator state snapshot holds (serialized with `v8.serialize`). */
interface OperatorSnapshotPayload {
  readonly version: typeof SNAPSHOT_VERSION;
  readonly states: Readonly<Record<string, SnapshotState>>;
}

interface SnapshotState {
  readonly mode: OperatorStateDistributionMode;
  /** The list of list and union state; the map of broadcast state. */
  readonly entries: readonly unknown[] | ReadonlyMap<unknown, unknown>;
}

/**
 * Non-keyed state of one operator in one subtask (Flink's DefaultOperatorStateBackend): list state
 * (SPLIT_DISTRIBUTE), union list state (UNION) and broadcast state (BROADCAST, a map). A state name
 * has one mode; asking for it in another throws.
 *
 * On restore, each state is redistributed by its mode as Flink's RoundRobinOperatorStateRepartitioner
 * does: at unchanged parallelism a subtask keeps its own list entries; otherwise the entries of all
 * old subtasks are pooled (in old subtask order) and each new subtask takes a contiguous slice, the
 * first `total % parallelism` subtasks one entry more. Union state gives every subtask all entries;
 * broadcast state gives every subtask one copy (the first old subtask's that has it).
 */
export class DefaultOperatorStateBackend implements OperatorStateBackend {
  /** Every state's mode, in registration (and snapshot) order. */
  private readonly modes = new Map<string, OperatorStateDistributionMode>();
  private readonly lists = new Map<string, ListEntries>();
  private readonly broadcasts = new Map<string, Map<unknown, unknown>>();
  private readonly accessors = new Map<string, unknown>();

  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.listState(descriptor.name, OperatorStateDistributionMode.SPLIT_DISTRIBUTE);
  }

  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T> {
    return this.listState(descriptor.name, OperatorStateDistributionMode.UNION);
  }

  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V> {
    const map = this.broadcastEntries(descriptor.name) as Map<K, V>;
    return this.accessor(descriptor.name, () => new BroadcastMapState<K, V>(map));
  }

  /**
   * Serializes every registered state before returning, then writes the bytes through
   * `streamFactory` as `operator`. Resolves to undefined when no state is registered.
   */
  async snapshot(
    _checkpointId: number,
    _timestamp: number,
    streamFactory: CheckpointStreamFactory,
    _options: CheckpointOptions,
  ): Promise<OperatorStateHandle | undefined> {
    if (this.modes.size === 0) return undefined;
    const states: [string, SnapshotState][] = [];
    for (const [name, mode] of this.modes) {
      const entries = this.lists.get(name)?.entries ?? this.broadcasts.get(name) ?? [];
      states.push([name, { mode, entries }]);
    }
    // Object.fromEntries defines own properties: a state named `__proto__` stays a state.
    const payload: OperatorSnapshotPayload = {
      version: SNAPSHOT_VERSION,
      states: Object.fromEntries(states),
    };
    const bytes = serialize(payload);
    const counts = Object.fromEntries(
      states.map(([name, { mode, entries }]) => [name, { mode, entries: sizeOf(entries) }]),
    );
    return { states: counts, stream: await streamFactory.write(bytes, 'operator') };
  }

  /**
   * Restores subtask `subtaskIndex` of `parallelism` from the handles of the old subtasks, reading
   * only the handles it takes something from, and merges that into the state already here. A
   * subtask keeps its own list entries when the parallelism is unchanged and there is one handle
   * per old subtask; otherwise list entries are pooled and split.
   * @throws StateRestoreError on an unknown format or a state with different modes in the handles
   */
  async restore(
    restore: OperatorStateRestore,
    subtaskIndex: number,
    parallelism: number,
    read: StateReader,
  ): Promise<void> {
    if (!Number.isInteger(subtaskIndex) || subtaskIndex < 0 || !(subtaskIndex < parallelism)) {
      throw new IllegalArgumentError(
        `Subtask index ${subtaskIndex} is not within parallelism ${parallelism}.`,
      );
    }
    const handles = restore.managedOperatorState;
    const keepOwn = parallelism === restore.oldParallelism && handles.length === restore.oldParallelism;
    const modes = modesOf(handles);
    // Which handle each broadcast state is copied from: the first that has it.
    const broadcastSource = new Map<string, number>();
    const takesFrom = (mode: OperatorStateDistributionMode, name: string, index: number): boolean => {
      switch (mode) {
        case OperatorStateDistributionMode.SPLIT_DISTRIBUTE:
          return !keepOwn || index === subtaskIndex;
        case OperatorStateDistributionMode.UNION:
          return true;
        case OperatorStateDistributionMode.BROADCAST:
          if (!broadcastSource.has(name)) broadcastSource.set(name, index);
          return broadcastSource.get(name) === index;
      }
    };
    const needed = handles.map((handle, index) =>
      Object.entries(handle.states).reduce(
        (need, [name, { mode }]) => takesFrom(mode, name, index) || need,
        false,
      ),
    );

    const pools = new Map<string, unknown[]>();
    for (const [index, handle] of handles.entries()) {
      if (needed[index] !== true) continue;
      const payload = parsePayload(deserialize(await read(handle.stream)));
      for (const [name, { mode, entries }] of Object.entries(payload.states)) {
        if (mode !== modes.get(name)) {
          throw new StateRestoreError(
            `Operator state '${name}' has mode ${mode} in its data but ${modes.get(name) ?? 'none'} in its handle.`,
          );
        }
        if (!takesFrom(mode, name, index)) continue;
        if (mode === OperatorStateDistributionMode.BROADCAST) {
          const target = this.broadcastEntries(name);
          for (const [key, value] of entries as ReadonlyMap<unknown, unknown>) target.set(key, value);
        } else {
          let pool = pools.get(name);
          if (pool === undefined) pools.set(name, (pool = []));
          for (const value of entries as readonly unknown[]) pool.push(value);
        }
      }
    }

    for (const [name, mode] of modes) {
      if (mode === OperatorStateDistributionMode.BROADCAST) {
        this.broadcastEntries(name);
        continue;
      }
      const pool = pools.get(name) ?? [];
      const share =
        mode === OperatorStateDistributionMode.SPLIT_DISTRIBUTE && !keepOwn
          ? evenSlice(pool, subtaskIndex, parallelism)
          : pool;
      const target = this.listEntries(name, mode);
      for (const value of share) target.entries.push(value);
    }
  }

  dispose(): void {
    this.modes.clear();
    this.lists.clear();
    this.broadcasts.clear();
    this.accessors.clear();
  }

  private listState<T>(name: string, mode: ListMode): ListState<T> {
    const list = this.listEntries(name, mode);
    return this.accessor(name, () => new OperatorListState<T>(list));
  }

  private listEntries(name: string, mode: ListMode): ListEntries {
    this.checkMode(name, mode);
    let list = this.lists.get(name);
    if (list === undefined) {
      list = { entries: [] };
      this.lists.set(name, list);
    }
    return list;
  }

  private broadcastEntries(name: string): Map<unknown, unknown> {
    this.checkMode(name, OperatorStateDistributionMode.BROADCAST);
    let map = this.broadcasts.get(name);
    if (map === undefined) {
      map = new Map();
      this.broadcasts.set(name, map);
    }
    return map;
  }

  /** Registers a state's mode, or checks it against the registered one. */
  private checkMode(name: string, mode: OperatorStateDistributionMode): void {
    const registered = this.modes.get(name);
    if (registered === undefined) this.modes.set(name, mode);
    else if (registered !== mode) throw new IncompatibleStateError(name, registered, mode);
  }

  private accessor<S>(name: string, create: () => S): S {
    const existing = this.accessors.get(name);
    if (existing !== undefined) return existing as S;
    const accessor = create();
    this.accessors.set(name, accessor);
    return accessor;
  }
}

function sizeOf(entries: readonly unknown[] | ReadonlyMap<unknown, unknown>): number {
  return entries instanceof Map ? entries.size : (entries as readonly unknown[]).length;
}

/** Subtask `index`'s contiguous share of `pool` split over `parallelism` subtasks. */
export function evenSlice<T>(pool: readonly T[], index: number, parallelism: number): readonly T[] {
  const base = Math.floor(pool.length / parallelism);
  const remainder = pool.length % parallelism;
  const start = index * base + Math.min(index, remainder);
  return pool.slice(start, start + base + (index < remainder ? 1 : 0));
}

/** Each state's mode across the handles, from their metadata. */
function modesOf(handles: readonly OperatorStateHandle[]): Map<string, OperatorStateDistributionMode> {
  const modes = new Map<string, OperatorStateDistributionMode>();
  for (const handle of handles) {
    for (const [name, { mode }] of Object.entries(handle.states)) {
      const known = modes.get(name);
      if (known === undefined) modes.set(name, mode);
      else if (known !== mode) {
        throw new StateRestoreError(
          `Operator state '${name}' has mode ${known} in one handle and ${mode} in another.`,
        );
      }
    }
  }
  return modes;
}

function parsePayload(value: unknown): OperatorSnapshotPayload {
  const payload = value as Partial<OperatorSnapshotPayload> | null;
  if (
    typeof payload !== 'object' ||
    payload === null ||
    payload.version !== SNAPSHOT_VERSION ||
    typeof payload.states !== 'object'
  ) {
    throw new StateRestoreError(
      `Not an operator state snapshot of version ${SNAPSHOT_VERSION} (written by DefaultOperatorStateBackend).`,
    );
  }
  return payload as OperatorSnapshotPayload;
}

/** Operator list state (plain or union): one list per subtask. `get()` returns the list itself. */
class OperatorListState<T> implements ListState<T> {
  constructor(private readonly state: ListEntries) {}

  get(): readonly T[] {
    return this.state.entries as T[];
  }

  add(value: T): void {
    this.state.entries.push(value);
  }

  addAll(values: Iterable<T>): void {
    for (const value of values) this.state.entries.push(value);
  }

  update(values: Iterable<T>): void {
    this.state.entries = Array.from(values);
  }

  clear(): void {
    this.state.entries = [];
  }
}

/** Broadcast state: a map, the same on every subtask. */
class BroadcastMapState<K, V> implements MapState<K, V> {
  constructor(private readonly map: Map<K, V>) {}

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  put(key: K, value: V): void {
    this.map.set(key, value);
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    for (const [key, value] of entries) this.map.set(key, value);
  }

  remove(key: K): void {
    this.map.delete(key);
  }

  contains(key: K): boolean {
    return this.map.has(key);
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries();
  }

  keys(): IterableIterator<K> {
    return this.map.keys();
  }

  values(): IterableIterator<V> {
    return this.map.values();
  }

  isEmpty(): boolean {
    return this.map.size === 0;
  }

  clear(): void {
    this.map.clear();
  }
}
