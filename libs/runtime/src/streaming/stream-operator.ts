import { IllegalStateError } from '../core/errors.js';
import type { OperatorID } from '../core/ids.js';
import type { AccumulatorRegistry } from '../execution/accumulators.js';
import type { TaskInfo } from '../execution/environment.js';
import type { KeyedStateBackend, OperatorStateBackend } from '../state/state-api.js';
import { MissingKeyedStateBackendError } from './errors.js';

/** Where an operator sends its records (Flink's Output / Collector). Never awaits. */
export interface Output<T> {
  collect(record: T): void;
}

/** Extracts the key of a record (Flink's KeySelector). Must be deterministic. */
export type KeySelector<T, K> = (record: T) => K;

/** A value that may be a promise: lifecycle steps that may do I/O (open, commit, close). */
export type MaybePromise<T> = T | Promise<T>;

/**
 * What an operator gets at `setup` (Flink's StreamingRuntimeContext and StreamOperatorParameters
 * in one): its output, its state backends, where it runs and the task's accumulators.
 */
export interface StreamOperatorContext<OUT> {
  readonly output: Output<OUT>;
  readonly operatorId: OperatorID;
  readonly uid: string;
  readonly operatorName: string;
  readonly taskInfo: TaskInfo;
  getAccumulatorRegistry(): AccumulatorRegistry;
  /** Non-keyed state (list, union list, broadcast) of this operator in this subtask. */
  getOperatorStateBackend(): OperatorStateBackend;
  /** Keyed state of this operator; only keyed operators (the head after a keyBy) have one. */
  getKeyedStateBackend<K>(): KeyedStateBackend<K> | undefined;
  /** The last checkpoint this task took part in (triggered or restored), or 0 before any. */
  getCurrentCheckpointId(): number;
}

/** What an operator gets at `initializeState` (Flink's StateInitializationContext). */
export interface StateInitializationContext {
  /** True when this attempt restores from a snapshot: the backends already hold the restored state. */
  isRestored(): boolean;
  /** The checkpoint restored from, when restored. */
  getRestoredCheckpointId(): number | undefined;
  getOperatorStateBackend(): OperatorStateBackend;
  getKeyedStateBackend<K>(): KeyedStateBackend<K> | undefined;
}

/**
 * An operator of a streaming job (Flink's StreamOperator). Lifecycle, in this order: `setup`,
 * `initializeState` (the backends hold the restored state already), `open`, then `processElement`
 * for every record interleaved with `snapshotState` and checkpoint notifications, `endInput` when
 * the input ended (not on cancellation or a stop without drain), and `close` (also after a
 * failure). `processElement` is synchronous: chained operators call each other directly.
 * `snapshotState` moves operator-specific state into the state backends; the task then snapshots
 * the backends. The task identifies the operator's state by its uid ({@link OperatorID.fromUid}).
 */
export interface StreamOperator<IN, OUT> {
  setup(context: StreamOperatorContext<OUT>): void;
  initializeState(context: StateInitializationContext): MaybePromise<void>;
  open(): MaybePromise<void>;
  processElement(record: IN): void;
  endInput(): MaybePromise<void>;
  snapshotState(checkpointId: number): void;
  notifyCheckpointComplete(checkpointId: number): MaybePromise<void>;
  notifyCheckpointAborted(checkpointId: number): MaybePromise<void>;
  close(): MaybePromise<void>;
}

/** Creates one operator instance per subtask (operators hold per-subtask state). */
export type StreamOperatorFactory<IN, OUT> = () => StreamOperator<IN, OUT>;

/**
 * Base of the built-in operators (Flink's AbstractStreamOperator): keeps the context and offers
 * no-op lifecycle steps to override.
 */
export abstract class AbstractStreamOperator<IN, OUT> implements StreamOperator<IN, OUT> {
  private operatorContext: StreamOperatorContext<OUT> | undefined;
  /** Set at setup; operators only collect after it. */
  protected output!: Output<OUT>;

  setup(context: StreamOperatorContext<OUT>): void {
    this.operatorContext = context;
    this.output = context.output;
  }

  initializeState(_context: StateInitializationContext): MaybePromise<void> {
    return undefined;
  }

  open(): MaybePromise<void> {
    return undefined;
  }

  abstract processElement(record: IN): void;

  endInput(): MaybePromise<void> {
    return undefined;
  }

  snapshotState(_checkpointId: number): void {
    // Operators without own state keep everything in the backends already.
  }

  notifyCheckpointComplete(_checkpointId: number): MaybePromise<void> {
    return undefined;
  }

  notifyCheckpointAborted(_checkpointId: number): MaybePromise<void> {
    return undefined;
  }

  close(): MaybePromise<void> {
    return undefined;
  }

  /** The context given at setup. @throws IllegalStateError before setup */
  protected getContext(): StreamOperatorContext<OUT> {
    const context = this.operatorContext;
    if (context === undefined) throw new IllegalStateError('The operator was not set up.');
    return context;
  }

  /** The keyed state backend. @throws MissingKeyedStateBackendError when the operator is not keyed */
  protected getKeyedStateBackend<K>(): KeyedStateBackend<K> {
    const context = this.getContext();
    const backend = context.getKeyedStateBackend<K>();
    if (backend === undefined) {
      throw new MissingKeyedStateBackendError(context.uid, 'the operator does not follow a keyBy');
    }
    return backend;
  }

  protected getOperatorStateBackend(): OperatorStateBackend {
    return this.getContext().getOperatorStateBackend();
  }
}
