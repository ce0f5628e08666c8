import type { CheckpointOptions } from '../checkpoint/checkpoint-types.js';
import type { CheckpointStreamFactory } from '../checkpoint/storage/checkpoint-storage.js';
import { OperatorID } from '../core/ids.js';
import type { AccumulatorRegistry } from '../execution/accumulators.js';
import type { Environment, TaskInfo, TaskIOMetrics } from '../execution/environment.js';
import type { RecordWriter } from '../io/network/record-writer.js';
import { DefaultOperatorStateBackend } from '../state/default-operator-state-backend.js';
import { HeapKeyedStateBackend } from '../state/heap-keyed-state-backend.js';
import { KeyGroupRangeAssignment } from '../state/key-group-range-assignment.js';
import type { KeyedStateBackend, OperatorStateBackend, StateReader } from '../state/state-api.js';
import type {
  JobManagerTaskRestore,
  KeyGroupsStateHandle,
  OperatorStateHandle,
  OperatorSubtaskState,
  TaskStateSnapshot,
} from '../state/state-handles.js';
import { InvalidOperatorChainError } from './errors.js';
import {
  BroadcastingOutput,
  ChainingOutput,
  DiscardingOutput,
  KeyedRecordWriterOutput,
  RecordWriterOutput,
} from './outputs.js';
import type { StreamChainConfig } from './stream-config.js';
import type {
  Output,
  StateInitializationContext,
  StreamOperator,
  StreamOperatorContext,
} from './stream-operator.js';

/** The state a chain reported for one snapshot, and its size in bytes. */
export interface ChainSnapshot {
  readonly snapshot: TaskStateSnapshot;
  readonly stateSize: number;
}

/** One operator of a running chain with what belongs to it. */
class ChainedOperator implements StreamOperatorContext<unknown>, StateInitializationContext {
  readonly operatorId: OperatorID;
  readonly operatorStateBackend: OperatorStateBackend = new DefaultOperatorStateBackend();
  restoredCheckpointId: number | undefined;

  constructor(
    readonly operator: StreamOperator<unknown, unknown>,
    readonly uid: string,
    readonly operatorName: string,
    readonly output: Output<unknown>,
    readonly taskInfo: TaskInfo,
    readonly keyedStateBackend: KeyedStateBackend<unknown> | undefined,
    private readonly accumulators: AccumulatorRegistry,
    private readonly chain: OperatorChain,
  ) {
    this.operatorId = OperatorID.fromUid(uid);
  }

  getAccumulatorRegistry(): AccumulatorRegistry {
    return this.accumulators;
  }
  getOperatorStateBackend(): OperatorStateBackend {
    return this.operatorStateBackend;
  }
  getKeyedStateBackend<K>(): KeyedStateBackend<K> | undefined {
    return this.keyedStateBackend as KeyedStateBackend<K> | undefined;
  }
  getCurrentCheckpointId(): number {
    return this.chain.currentCheckpointId;
  }
  isRestored(): boolean {
    return this.restoredCheckpointId !== undefined;
  }
  getRestoredCheckpointId(): number | undefined {
    return this.restoredCheckpointId;
  }
}

/**
 * The operators of one task, chained by direct calls (Flink's OperatorChain): the head gets the
 * task's input, each operator's output calls the next one's `processElement`, and the tail writes to
 * the task's writers (as `[key, record]` pairs on keyBy edges). Nothing on this path awaits or
 * allocates per record, except the pair of a keyed edge.
 *
 * Every operator has an operator state backend; a keyed head (`keyedInput`) also has a heap keyed
 * state backend over this subtask's key groups, and the chain sets each record's key on it before
 * the head processes the record.
 */
export class OperatorChain {
  /** The last checkpoint triggered or restored; operators read it through their context. */
  currentCheckpointId = 0;
  private readonly operators: readonly ChainedOperator[];
  private readonly taskInfo: TaskInfo;
  private readonly head: StreamOperator<unknown, unknown>;
  private readonly writers: readonly RecordWriter[];
  private readonly ioMetrics: TaskIOMetrics;
  private readonly keyedBackend: KeyedStateBackend<unknown> | undefined;
  private readonly opened: ChainedOperator[] = [];

  constructor(config: StreamChainConfig, environment: Environment) {
    const specs = config.operators;
    if (specs.length === 0)
      throw new InvalidOperatorChainError('An operator chain needs at least one operator.');
    const taskInfo = environment.getTaskInfo();
    this.taskInfo = taskInfo;
    this.writers = environment.getAllWriters();
    this.ioMetrics = environment.getIOMetrics();
    const outputs = config.outputs ?? [];
    if (outputs.length !== this.writers.length) {
      throw new InvalidOperatorChainError(
        `The chain of '${taskInfo.taskName}' has ${outputs.length} outputs, but the task has ${this.writers.length} writers.`,
      );
    }
    if (config.keyedInput === true) {
      this.keyedBackend = new HeapKeyedStateBackend<unknown>({
        keyGroupRange: KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
          taskInfo.maxNumberOfParallelSubtasks,
          taskInfo.numberOfParallelSubtasks,
          taskInfo.indexOfThisSubtask,
        ),
        maxParallelism: taskInfo.maxNumberOfParallelSubtasks,
      });
    }
    const instances = specs.map((spec) => spec.factory());
    const tailOutputs: Output<unknown>[] = outputs.map((output, index) => {
      const writer = this.writers[index] as RecordWriter;
      return output.keySelector === undefined
        ? new RecordWriterOutput(writer)
        : new KeyedRecordWriterOutput(writer, output.keySelector);
    });
    const tailOutput =
      tailOutputs.length === 0
        ? new DiscardingOutput()
        : tailOutputs.length === 1
          ? (tailOutputs[0] as Output<unknown>)
          : new BroadcastingOutput(tailOutputs);
    const accumulators = environment.getAccumulatorRegistry();
    this.operators = specs.map((spec, index) => {
      const next = instances[index + 1];
      return new ChainedOperator(
        instances[index] as StreamOperator<unknown, unknown>,
        spec.uid,
        spec.name,
        next === undefined ? tailOutput : new ChainingOutput(next),
        taskInfo,
        index === 0 ? this.keyedBackend : undefined,
        accumulators,
        this,
      );
    });
    this.head = instances[0] as StreamOperator<unknown, unknown>;
    this.pushRecord = this.keyedBackend === undefined ? this.pushPlain : this.pushKeyed;
  }

  /** Hands one record of the task's input to the head (unwrapping a keyed pair). */
  readonly pushRecord: (record: unknown) => void;

  /** Hands a buffer of the task's input to the head and counts it. */
  processBuffer(records: readonly unknown[]): void {
    this.ioMetrics.numRecordsIn += records.length;
    this.ioMetrics.numBuffersIn++;
    const push = this.pushRecord;
    for (let i = 0; i < records.length; i++) push(records[i]);
  }

  getHeadOperator(): StreamOperator<unknown, unknown> {
    return this.head;
  }

  /** The operator IDs, head first. */
  getOperatorIds(): OperatorID[] {
    return this.operators.map((operator) => operator.operatorId);
  }

  getKeyedStateBackend(): KeyedStateBackend<unknown> | undefined {
    return this.keyedBackend;
  }

  getOperatorStateBackend(index: number): OperatorStateBackend | undefined {
    return this.operators[index]?.operatorStateBackend;
  }

  /**
   * Restores the backends from `restore` (when given), then sets every operator up, initializes its
   * state and opens it, tail first so that an operator emitting in `open` finds its successors open.
   */
  async initialize(restore: JobManagerTaskRestore | undefined, read: StateReader): Promise<void> {
    for (const chained of this.operators) chained.operator.setup(chained);
    if (restore !== undefined) {
      const { indexOfThisSubtask, numberOfParallelSubtasks } = this.taskInfo;
      for (const chained of this.operators) {
        chained.restoredCheckpointId = restore.restoreCheckpointId;
        const state = restore.operators[chained.operatorId];
        if (state === undefined) continue;
        if (chained.keyedStateBackend !== undefined) {
          await chained.keyedStateBackend.restore(state.managedKeyedState, read);
        }
        await chained.operatorStateBackend.restore(state, indexOfThisSubtask, numberOfParallelSubtasks, read);
      }
      this.currentCheckpointId = restore.restoreCheckpointId;
    }
    for (let index = this.operators.length - 1; index >= 0; index--) {
      const chained = this.operators[index] as ChainedOperator;
      await chained.operator.initializeState(chained);
      await chained.operator.open();
      this.opened.push(chained);
    }
  }

  /** The input ended: every operator's `endInput`, head first, then every writer is flushed. */
  async endInput(): Promise<void> {
    for (const chained of this.operators) await chained.operator.endInput();
    this.flushOutputs();
  }

  flushOutputs(): void {
    for (const writer of this.writers) writer.flushAll();
  }

  /** Sends an event (a barrier) on every writer, after the records emitted before it. */
  broadcastEvent(event: Parameters<RecordWriter['broadcastEvent']>[0]): void {
    for (const writer of this.writers) writer.broadcastEvent(event);
  }

  /** A writer that is full now, if any: the task must wait for it before it handles more input. */
  getUnavailableWriter(): RecordWriter | undefined {
    const writers = this.writers;
    for (let i = 0; i < writers.length; i++) {
      const writer = writers[i] as RecordWriter;
      if (!writer.isAvailable()) return writer;
    }
    return undefined;
  }

  /**
   * The synchronous part of a snapshot: every operator's `snapshotState`, then every backend copies
   * its state. The returned promise writes the copies through `streamFactory` and resolves to the
   * task's state by operator. Records processed after this call never reach the snapshot.
   */
  snapshotState(
    checkpointId: number,
    timestamp: number,
    options: CheckpointOptions,
    streamFactory: CheckpointStreamFactory,
  ): Promise<ChainSnapshot> {
    for (const chained of this.operators) chained.operator.snapshotState(checkpointId);
    const pending = this.operators.map((chained) => ({
      operatorId: chained.operatorId,
      keyed: chained.keyedStateBackend?.snapshot(checkpointId, timestamp, streamFactory, options),
      operator: chained.operatorStateBackend.snapshot(checkpointId, timestamp, streamFactory, options),
    }));
    return collectSnapshot(pending);
  }

  async notifyCheckpointComplete(checkpointId: number): Promise<void> {
    for (const chained of this.operators) await chained.operator.notifyCheckpointComplete(checkpointId);
  }

  async notifyCheckpointAborted(checkpointId: number): Promise<void> {
    for (const chained of this.operators) await chained.operator.notifyCheckpointAborted(checkpointId);
  }

  /**
   * Closes the opened operators, head first, and disposes the backends. Every operator is closed
   * even when one fails; the first failure is rethrown.
   */
  async close(): Promise<void> {
    let failure: unknown;
    for (let index = this.opened.length - 1; index >= 0; index--) {
      try {
        await this.opened[index]?.operator.close();
      } catch (error) {
        failure ??= error;
      }
    }
    this.opened.length = 0;
    for (const chained of this.operators) {
      chained.keyedStateBackend?.dispose();
      chained.operatorStateBackend.dispose();
    }
    if (failure !== undefined) throw asError(failure);
  }

  private readonly pushPlain = (record: unknown): void => {
    this.head.processElement(record);
  };

  private readonly pushKeyed = (record: unknown): void => {
    const pair = record as readonly [unknown, unknown];
    (this.keyedBackend as KeyedStateBackend<unknown>).setCurrentKey(pair[0]);
    this.head.processElement(pair[1]);
  };
}

function asError(cause: unknown): Error {
  return cause instanceof Error ? cause : new Error(String(cause));
}

async function collectSnapshot(
  pending: readonly {
    operatorId: OperatorID;
    keyed: Promise<KeyGroupsStateHandle | undefined> | undefined;
    operator: Promise<OperatorStateHandle | undefined>;
  }[],
): Promise<ChainSnapshot> {
  // Settle every write before looking at failures, so none is left unobserved.
  const settled = await Promise.allSettled(
    pending.flatMap((entry) =>
      entry.keyed === undefined ? [entry.operator] : [entry.keyed, entry.operator],
    ),
  );
  for (const result of settled) if (result.status === 'rejected') throw asError(result.reason);
  const snapshot: Record<OperatorID, OperatorSubtaskState> = {};
  let stateSize = 0;
  for (const entry of pending) {
    const keyed = await entry.keyed;
    const operator = await entry.operator;
    if (keyed !== undefined) stateSize += keyed.stream.size;
    if (operator !== undefined) stateSize += operator.stream.size;
    snapshot[entry.operatorId] = {
      managedKeyedState: keyed === undefined ? [] : [keyed],
      managedOperatorState: operator === undefined ? [] : [operator],
    };
  }
  return { snapshot, stateSize };
}
