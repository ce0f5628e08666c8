import type { Configuration } from '../core/configuration.js';
import type { AllocationID, ExecutionAttemptID, JobID, JobVertexID } from '../core/ids.js';
import type { InputGate } from '../io/network/input-gate.js';
import type { RecordWriter } from '../io/network/record-writer.js';
import type { AccumulatorRegistry } from './accumulators.js';
import type { TaskStateManager } from './checkpointable.js';

/** Where a subtask stands in its job vertex (Flink's TaskInfo). */
export interface TaskInfo {
  readonly taskName: string;
  /** `name (i+1/p)#attempt`, as Flink names task threads. */
  readonly taskNameWithSubtasks: string;
  readonly indexOfThisSubtask: number;
  readonly numberOfParallelSubtasks: number;
  readonly maxNumberOfParallelSubtasks: number;
  readonly attemptNumber: number;
  readonly allocationId: AllocationID;
}

/** Counters of a task's I/O, reported with its final state and shown per vertex. */
export interface TaskIOMetrics {
  numRecordsIn: number;
  numRecordsOut: number;
  numBuffersIn: number;
  numBuffersOut: number;
}

/**
 * What a running task can see and use (Flink's Environment): who it is, its configuration, one
 * RecordWriter per produced result (in the order of the vertex's produced data sets), one
 * InputGate per input (in the order of the vertex's inputs), accumulators, and a signal that is
 * aborted when the task is cancelled.
 */
export interface Environment {
  getJobID(): JobID;
  getJobVertexId(): JobVertexID;
  getExecutionId(): ExecutionAttemptID;
  getTaskInfo(): TaskInfo;
  getTaskConfiguration(): Configuration;
  getJobConfiguration(): Configuration;

  getNumberOfInputGates(): number;
  /** @throws IllegalArgumentError when there is no gate `index` */
  getInputGate(index: number): InputGate;
  getAllInputGates(): readonly InputGate[];

  getNumberOfWriters(): number;
  /** @throws IllegalArgumentError when there is no writer `index` */
  getWriter<T = unknown>(index: number): RecordWriter<T>;
  getAllWriters(): readonly RecordWriter[];

  getAccumulatorRegistry(): AccumulatorRegistry;
  getIOMetrics(): TaskIOMetrics;
  getCancellationSignal(): AbortSignal;
  /** Restore state, snapshot storage and checkpoint acknowledgements of this task. */
  getTaskStateManager(): TaskStateManager;
}
