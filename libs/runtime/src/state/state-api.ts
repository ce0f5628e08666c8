import type { CheckpointOptions } from '../checkpoint/checkpoint-types.js';
import type { CheckpointStreamFactory } from '../checkpoint/storage/checkpoint-storage.js';
import type { KeyGroupRange } from './key-group-range-assignment.js';
import type {
  KeyGroupsStateHandle,
  OperatorStateHandle,
  OperatorStateRestore,
  StreamStateHandle,
} from './state-handles.js';

/** Reads the bytes behind a handle of a snapshot being restored. */
export type StateReader = (handle: StreamStateHandle) => Promise<Uint8Array>;

/** A single value per key (Flink's ValueState). Access is synchronous: no await per record. */
export interface ValueState<T> {
  /** The value for the current key, or the descriptor's default (undefined if none). */
  value(): T | undefined;
  update(value: T): void;
  clear(): void;
}

/** A list per key (Flink's ListState); also the shape of operator list state. */
export interface ListState<T> {
  get(): readonly T[];
  add(value: T): void;
  addAll(values: Iterable<T>): void;
  update(values: Iterable<T>): void;
  clear(): void;
}

/** A map per key (Flink's MapState); also the shape of broadcast state. */
export interface MapState<K, V> {
  get(key: K): V | undefined;
  put(key: K, value: V): void;
  putAll(entries: Iterable<readonly [K, V]>): void;
  remove(key: K): void;
  contains(key: K): boolean;
  entries(): IterableIterator<[K, V]>;
  keys(): IterableIterator<K>;
  values(): IterableIterator<V>;
  isEmpty(): boolean;
  clear(): void;
}

/** A value per key folded with a reduce function (Flink's ReducingState). */
export interface ReducingState<T> {
  get(): T | undefined;
  add(value: T): void;
  clear(): void;
}

/** An accumulator per key built by an aggregate function (Flink's AggregatingState). */
export interface AggregatingState<IN, OUT> {
  get(): OUT | undefined;
  add(value: IN): void;
  clear(): void;
}

/** Flink's AggregateFunction. */
export interface AggregateFunction<IN, ACC, OUT> {
  createAccumulator(): ACC;
  add(value: IN, accumulator: ACC): ACC;
  getResult(accumulator: ACC): OUT;
  merge(a: ACC, b: ACC): ACC;
}

/**
 * Describes a state by name and kind (Flink's StateDescriptor). Values must be what the structured
 * clone algorithm can copy (plain data, Map, Set, Date, typed arrays, bigint): snapshots serialize
 * them with `v8.serialize`.
 */
export type StateDescriptor =
  | { readonly kind: 'value'; readonly name: string; readonly defaultValue?: unknown }
  | { readonly kind: 'list'; readonly name: string }
  | { readonly kind: 'map'; readonly name: string }
  | { readonly kind: 'reducing'; readonly name: string; readonly reduce: (a: unknown, b: unknown) => unknown }
  | {
      readonly kind: 'aggregating';
      readonly name: string;
      readonly aggregate: AggregateFunction<unknown, unknown, unknown>;
    };

export const StateDescriptors = {
  value<T>(name: string, defaultValue?: T): ValueStateDescriptor<T> {
    return { kind: 'value', name, ...(defaultValue !== undefined ? { defaultValue } : {}) };
  },
  list<T>(name: string): ListStateDescriptor<T> {
    return { kind: 'list', name };
  },
  map<K, V>(name: string): MapStateDescriptor<K, V> {
    return { kind: 'map', name };
  },
  reducing<T>(name: string, reduce: (a: T, b: T) => T): ReducingStateDescriptor<T> {
    return { kind: 'reducing', name, reduce } as unknown as ReducingStateDescriptor<T>;
  },
  aggregating<IN, ACC, OUT>(
    name: string,
    aggregate: AggregateFunction<IN, ACC, OUT>,
  ): AggregatingStateDescriptor<IN, OUT> {
    return { kind: 'aggregating', name, aggregate } as unknown as AggregatingStateDescriptor<IN, OUT>;
  },
};

declare const stateType: unique symbol;
/** Descriptors carry their state's type for the compiler only. */
export type ValueStateDescriptor<T> = Extract<StateDescriptor, { kind: 'value' }> & {
  readonly [stateType]?: ValueState<T>;
};
export type ListStateDescriptor<T> = Extract<StateDescriptor, { kind: 'list' }> & {
  readonly [stateType]?: ListState<T>;
};
export type MapStateDescriptor<K, V> = Extract<StateDescriptor, { kind: 'map' }> & {
  readonly [stateType]?: MapState<K, V>;
};
export type ReducingStateDescriptor<T> = Extract<StateDescriptor, { kind: 'reducing' }> & {
  readonly [stateType]?: ReducingState<T>;
};
export type AggregatingStateDescriptor<IN, OUT> = Extract<StateDescriptor, { kind: 'aggregating' }> & {
  readonly [stateType]?: AggregatingState<IN, OUT>;
};

/**
 * Keyed state of one operator in one subtask (Flink's KeyedStateBackend, heap variant): state is
 * sharded by key group; `setCurrentKey` selects the key that state accessors act on. A key outside
 * this subtask's key-group range is an error.
 */
export interface KeyedStateBackend<K> {
  setCurrentKey(key: K): void;
  getCurrentKey(): K | undefined;
  getKeyGroupRange(): KeyGroupRange;
  getValueState<T>(descriptor: ValueStateDescriptor<T>): ValueState<T>;
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getMapState<KK, V>(descriptor: MapStateDescriptor<KK, V>): MapState<KK, V>;
  getReducingState<T>(descriptor: ReducingStateDescriptor<T>): ReducingState<T>;
  getAggregatingState<IN, OUT>(descriptor: AggregatingStateDescriptor<IN, OUT>): AggregatingState<IN, OUT>;
  /** Keys with any state, over all states. */
  numberOfKeys(): number;
  /**
   * Snapshots all state: the synchronous part copies it, the returned promise writes it through
   * `streamFactory`. Undefined when there is no state.
   */
  snapshot(
    checkpointId: number,
    timestamp: number,
    streamFactory: CheckpointStreamFactory,
    options: CheckpointOptions,
  ): Promise<KeyGroupsStateHandle | undefined>;
  /** Restores the key groups of this backend's range from handles of any old key-group ranges. */
  restore(handles: readonly KeyGroupsStateHandle[], read: StateReader): Promise<void>;
  dispose(): void;
}

/**
 * Non-keyed state of one operator in one subtask (Flink's OperatorStateBackend): list state
 * (split on rescale), union list state (every subtask gets everything) and broadcast state.
 */
export interface OperatorStateBackend {
  getListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getUnionListState<T>(descriptor: ListStateDescriptor<T>): ListState<T>;
  getBroadcastState<K, V>(descriptor: MapStateDescriptor<K, V>): MapState<K, V>;
  snapshot(
    checkpointId: number,
    timestamp: number,
    streamFactory: CheckpointStreamFactory,
    options: CheckpointOptions,
  ): Promise<OperatorStateHandle | undefined>;
  /** Restores this subtask's share (by each state's mode) of the old subtasks' handles. */
  restore(
    restore: OperatorStateRestore,
    subtaskIndex: number,
    parallelism: number,
    read: StateReader,
  ): Promise<void>;
  dispose(): void;
}
