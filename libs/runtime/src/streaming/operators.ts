import type { KeyedStateBackend, ReducingState } from '../state/state-api.js';
import { StateDescriptors } from '../state/state-api.js';
import { AbstractStreamOperator } from './stream-operator.js';
import type { MaybePromise, Output } from './stream-operator.js';

/** Flink's MapFunction. */
export type MapFunction<IN, OUT> = (value: IN) => OUT;
/** Flink's FilterFunction: keep the records it returns true for. */
export type FilterFunction<IN> = (value: IN) => boolean;
/** Flink's FlatMapFunction: any number of records per input, through `out`. */
export type FlatMapFunction<IN, OUT> = (value: IN, out: Output<OUT>) => void;
/** Flink's ReduceFunction: folds two values of a key into one. */
export type ReduceFunction<T> = (accumulated: T, value: T) => T;

/** One record after another: `output.collect(fn(record))` (Flink's StreamMap). */
export class MapOperator<IN, OUT> extends AbstractStreamOperator<IN, OUT> {
  constructor(private readonly fn: MapFunction<IN, OUT>) {
    super();
  }

  processElement(record: IN): void {
    this.output.collect(this.fn(record));
  }
}

/** Keeps the records the predicate accepts (Flink's StreamFilter). */
export class FilterOperator<IN> extends AbstractStreamOperator<IN, IN> {
  constructor(private readonly predicate: FilterFunction<IN>) {
    super();
  }

  processElement(record: IN): void {
    if (this.predicate(record)) this.output.collect(record);
  }
}

/** Zero or more records per input (Flink's StreamFlatMap). */
export class FlatMapOperator<IN, OUT> extends AbstractStreamOperator<IN, OUT> {
  constructor(private readonly fn: FlatMapFunction<IN, OUT>) {
    super();
  }

  processElement(record: IN): void {
    this.fn(record, this.output);
  }
}

/**
 * What a keyed process function sees besides the record: the record's key and the operator's
 * keyed state, already switched to that key (Flink's KeyedProcessFunction.Context). State handles
 * may be fetched once (in `open`) and kept: they always act on the current key.
 */
export interface KeyedProcessContext<K> {
  readonly key: K;
  readonly state: KeyedStateBackend<K>;
}

/** Flink's KeyedProcessFunction as a function. */
export type KeyedProcessFn<K, IN, OUT> = (
  value: IN,
  context: KeyedProcessContext<K>,
  out: Output<OUT>,
) => void;

/** A keyed process function with lifecycle hooks, for functions that fetch their state once. */
export interface RichKeyedProcessFunction<K, IN, OUT> {
  open?(state: KeyedStateBackend<K>): MaybePromise<void>;
  processElement: KeyedProcessFn<K, IN, OUT>;
  close?(): MaybePromise<void>;
}

export type KeyedProcessFunction<K, IN, OUT> =
  KeyedProcessFn<K, IN, OUT> | RichKeyedProcessFunction<K, IN, OUT>;

class KeyedContext<K> implements KeyedProcessContext<K> {
  constructor(readonly state: KeyedStateBackend<K>) {}

  get key(): K {
    return this.state.getCurrentKey() as K;
  }
}

/**
 * Runs a user function per record with keyed state (Flink's KeyedProcessOperator). The task sets
 * the record's key on the keyed backend before each call.
 */
export class KeyedProcessOperator<K, IN, OUT> extends AbstractStreamOperator<IN, OUT> {
  private readonly rich: RichKeyedProcessFunction<K, IN, OUT>;
  private context: KeyedContext<K> | undefined;
  private process: KeyedProcessFn<K, IN, OUT> | undefined;

  constructor(fn: KeyedProcessFunction<K, IN, OUT>) {
    super();
    this.rich = typeof fn === 'function' ? { processElement: fn } : fn;
  }

  override open(): MaybePromise<void> {
    const backend = this.getKeyedStateBackend<K>();
    this.context = new KeyedContext(backend);
    this.process = this.rich.processElement.bind(this.rich);
    return this.rich.open?.(backend);
  }

  processElement(record: IN): void {
    (this.process as KeyedProcessFn<K, IN, OUT>)(record, this.context as KeyedContext<K>, this.output);
  }

  override close(): MaybePromise<void> {
    return this.rich.close?.();
  }
}

/**
 * Folds the records of each key and emits the running result after every record (Flink's
 * StreamGroupedReduceOperator), kept in a ReducingState named `reduce`.
 */
export class KeyedReduceOperator<T> extends AbstractStreamOperator<T, T> {
  private state: ReducingState<T> | undefined;

  constructor(private readonly reduce: ReduceFunction<T>) {
    super();
  }

  override open(): void {
    this.state = this.getKeyedStateBackend<unknown>().getReducingState(
      StateDescriptors.reducing<T>('reduce', this.reduce),
    );
  }

  processElement(record: T): void {
    const state = this.state as ReducingState<T>;
    state.add(record);
    this.output.collect(state.get() as T);
  }
}

/**
 * Base of sinks (Flink's SinkWriterOperator): the end of a stream, emits nothing. Sinks that
 * must be exactly once stage records per checkpoint and commit them in
 * `notifyCheckpointComplete` (and at `endInput`).
 */
export abstract class SinkOperator<IN> extends AbstractStreamOperator<IN, never> {}

/** Where a stream ends: creates one sink operator per subtask. */
export interface Sink<IN> {
  /** Shown as the operator's name. */
  readonly name: string;
  createOperator(): SinkOperator<IN>;
}
