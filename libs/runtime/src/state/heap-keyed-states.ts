import type {
  AggregateFunction,
  AggregatingState,
  ListState,
  MapState,
  ReducingState,
  StateDescriptor,
  ValueState,
} from './state-api.js';
import { NoCurrentKeyError } from './state-errors.js';
import type { StateMapKey } from './state-map-key.js';

/** The kinds of keyed state (a descriptor's `kind`). */
export type KeyedStateKind = StateDescriptor['kind'];

/**
 * The key that keyed state accessors act on, shared by the backend (which sets it) and every state
 * table (which reads it): the key's map key and its key group's index in the backend's range.
 * `shard` is -1 until a key is set.
 */
export class KeyContext {
  mapKey: StateMapKey = '';
  shard = -1;
}

/**
 * The entries of one keyed state, sharded by key group: `shards[keyGroup - startKeyGroup]` maps
 * the map keys of that key group to their state value (a value, an array, a Map, an accumulator).
 * A shard's Map is created on its first write. Values are never `undefined`: removing is deleting.
 */
export class HeapStateTable {
  readonly shards: (Map<StateMapKey, unknown> | undefined)[];

  constructor(
    readonly name: string,
    readonly kind: KeyedStateKind,
    private readonly context: KeyContext,
    numberOfShards: number,
  ) {
    this.shards = Array.from({ length: numberOfShards }, () => undefined);
  }

  /** The value of the current key, undefined when it has none. */
  get(): unknown {
    const shard = this.context.shard;
    if (shard < 0) throw new NoCurrentKeyError(this.name);
    const entries = this.shards[shard];
    return entries === undefined ? undefined : entries.get(this.context.mapKey);
  }

  /** Sets the value of the current key. */
  put(value: unknown): void {
    const shard = this.context.shard;
    if (shard < 0) throw new NoCurrentKeyError(this.name);
    let entries = this.shards[shard];
    if (entries === undefined) {
      entries = new Map();
      this.shards[shard] = entries;
    }
    entries.set(this.context.mapKey, value);
  }

  /** Removes the entry of the current key. */
  remove(): void {
    const shard = this.context.shard;
    if (shard < 0) throw new NoCurrentKeyError(this.name);
    this.shards[shard]?.delete(this.context.mapKey);
  }

  /** Number of keys with an entry. */
  size(): number {
    let size = 0;
    for (const entries of this.shards) if (entries !== undefined) size += entries.size;
    return size;
  }

  clearAll(): void {
    this.shards.fill(undefined);
  }
}

const EMPTY_LIST: readonly never[] = Object.freeze([]);
const EMPTY_MAP: ReadonlyMap<unknown, unknown> = new Map<unknown, unknown>();

/** Flink's HeapValueState: the value, or the descriptor's default when the key has none. */
export class HeapValueState<T> implements ValueState<T> {
  constructor(
    private readonly table: HeapStateTable,
    private readonly defaultValue: T | undefined,
  ) {}

  value(): T | undefined {
    const value = this.table.get() as T | undefined;
    return value === undefined ? this.defaultValue : value;
  }

  /** Updating to `undefined` clears, as Flink's `update(null)` does. */
  update(value: T): void {
    if (value === undefined) this.table.remove();
    else this.table.put(value);
  }

  clear(): void {
    this.table.remove();
  }
}

/**
 * Flink's HeapListState. `get()` returns the stored array itself (no copy: treat it as read-only
 * and do not keep it across writes), or a shared empty array.
 */
export class HeapListState<T> implements ListState<T> {
  constructor(private readonly table: HeapStateTable) {}

  get(): readonly T[] {
    return (this.table.get() as T[] | undefined) ?? EMPTY_LIST;
  }

  add(value: T): void {
    const list = this.table.get() as T[] | undefined;
    if (list === undefined) this.table.put([value]);
    else list.push(value);
  }

  addAll(values: Iterable<T>): void {
    const list = this.table.get() as T[] | undefined;
    if (list === undefined) {
      const added = Array.from(values);
      if (added.length > 0) this.table.put(added);
    } else {
      for (const value of values) list.push(value);
    }
  }

  /** Replaces the list; an empty iterable clears it. */
  update(values: Iterable<T>): void {
    const list = Array.from(values);
    if (list.length === 0) this.table.remove();
    else this.table.put(list);
  }

  clear(): void {
    this.table.remove();
  }
}

/**
 * Flink's HeapMapState: a Map per key, user keys compared as Map keys (SameValueZero). Removing
 * the last entry removes the key's state, as Flink does.
 */
export class HeapMapState<K, V> implements MapState<K, V> {
  constructor(private readonly table: HeapStateTable) {}

  private map(): Map<K, V> | undefined {
    return this.table.get() as Map<K, V> | undefined;
  }

  get(key: K): V | undefined {
    return this.map()?.get(key);
  }

  put(key: K, value: V): void {
    const map = this.map();
    if (map === undefined) this.table.put(new Map([[key, value]]));
    else map.set(key, value);
  }

  putAll(entries: Iterable<readonly [K, V]>): void {
    let map = this.map();
    for (const [key, value] of entries) {
      if (map === undefined) {
        map = new Map();
        this.table.put(map);
      }
      map.set(key, value);
    }
  }

  remove(key: K): void {
    const map = this.map();
    if (map === undefined) return;
    map.delete(key);
    if (map.size === 0) this.table.remove();
  }

  contains(key: K): boolean {
    return this.map()?.has(key) ?? false;
  }

  entries(): IterableIterator<[K, V]> {
    return (this.map() ?? (EMPTY_MAP as ReadonlyMap<K, V>)).entries();
  }

  keys(): IterableIterator<K> {
    return (this.map() ?? (EMPTY_MAP as ReadonlyMap<K, V>)).keys();
  }

  values(): IterableIterator<V> {
    return (this.map() ?? (EMPTY_MAP as ReadonlyMap<K, V>)).values();
  }

  isEmpty(): boolean {
    const map = this.map();
    return map === undefined || map.size === 0;
  }

  clear(): void {
    this.table.remove();
  }
}

/** Flink's HeapReducingState: the first value as it is, then `reduce(current, value)`. */
export class HeapReducingState<T> implements ReducingState<T> {
  constructor(
    private readonly table: HeapStateTable,
    private readonly reduce: (a: T, b: T) => T,
  ) {}

  get(): T | undefined {
    return this.table.get() as T | undefined;
  }

  add(value: T): void {
    const current = this.table.get() as T | undefined;
    this.table.put(current === undefined ? value : this.reduce(current, value));
  }

  clear(): void {
    this.table.remove();
  }
}

/**
 * Flink's HeapAggregatingState: stores the accumulator (created on the first `add`); `get()` is
 * `getResult(accumulator)`, undefined when the key has none.
 */
export class HeapAggregatingState<IN, ACC, OUT> implements AggregatingState<IN, OUT> {
  constructor(
    private readonly table: HeapStateTable,
    private readonly aggregate: AggregateFunction<IN, ACC, OUT>,
  ) {}

  get(): OUT | undefined {
    const accumulator = this.table.get() as ACC | undefined;
    return accumulator === undefined ? undefined : this.aggregate.getResult(accumulator);
  }

  add(value: IN): void {
    const accumulator = (this.table.get() as ACC | undefined) ?? this.aggregate.createAccumulator();
    this.table.put(this.aggregate.add(value, accumulator));
  }

  clear(): void {
    this.table.remove();
  }
}
