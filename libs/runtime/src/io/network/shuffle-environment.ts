import type {
  ExecutionAttemptID,
  IntermediateDataSetID,
  IntermediateResultPartitionID,
  JobID,
  ResultPartitionID,
} from '../../core/ids.js';
import type { TaskIOMetrics } from '../../execution/environment.js';
import type { ResultPartitionType } from '../../jobgraph/enums.js';
import type { PartitionerSpec } from '../../jobgraph/partitioner-spec.js';
import type { InputGate } from './input-gate.js';
import type { RecordWriter } from './record-writer.js';

/** What a task produces on one output (Flink's ResultPartitionDeploymentDescriptor). Plain data. */
export interface ResultPartitionDeploymentDescriptor {
  readonly resultId: IntermediateDataSetID;
  readonly partitionId: IntermediateResultPartitionID;
  readonly partitionType: ResultPartitionType;
  /** One per consumer subtask this partition feeds. */
  readonly numberOfSubpartitions: number;
  readonly partitioner: PartitionerSpec;
  /** Max parallelism of the consuming vertex: the number of key groups a hash partitioner uses. */
  readonly consumerMaxParallelism: number;
}

/** What a task consumes on one input (Flink's InputGateDeploymentDescriptor). Plain data. */
export interface InputGateDeploymentDescriptor {
  readonly consumedResultId: IntermediateDataSetID;
  readonly consumedPartitionType: ResultPartitionType;
  /** The subpartition this consumer reads from each partition. */
  readonly consumedSubpartitionIndex: number;
  /** The producer partitions read, one input channel each, in channel order. */
  readonly inputChannels: readonly ResultPartitionID[];
}

/** The task that owns the partitions and gates being created. */
export interface ShuffleIOOwnerContext {
  readonly jobId: JobID;
  readonly executionId: ExecutionAttemptID;
  readonly subtaskIndex: number;
  readonly taskName: string;
  readonly ioMetrics: TaskIOMetrics;
}

/** A partition a task produces, with the writer that fills it. */
export interface TaskResultPartition {
  readonly partitionId: ResultPartitionID;
  readonly writer: RecordWriter;
  /**
   * Flushes the writer and ends every subpartition with EndOfPartition. A finished BLOCKING
   * partition stays readable (by any number of readers, from the start) until released.
   */
  finish(): void;
  /** Drops the partition's data; pending writes and reads fail with `cause`. Idempotent. */
  release(cause?: Error): void;
}

/**
 * Creates the partitions and input gates of tasks and owns the partitions of a TaskExecutor
 * (Flink's ShuffleEnvironment). In one process, channels hand batches over in memory.
 */
export interface ShuffleEnvironment {
  createResultPartitions(
    owner: ShuffleIOOwnerContext,
    descriptors: readonly ResultPartitionDeploymentDescriptor[],
  ): TaskResultPartition[];
  createInputGates(
    owner: ShuffleIOOwnerContext,
    descriptors: readonly InputGateDeploymentDescriptor[],
  ): InputGate[];
  /** Releases these partitions (for example BLOCKING results of a finished job). */
  releasePartitions(partitionIds: readonly ResultPartitionID[]): void;
  /** Releases every partition a job's tasks produced here. */
  releasePartitionsOfJob(jobId: JobID): void;
  /** Number of partitions currently held (for tests and metrics). */
  getNumberOfPartitions(): number;
  close(): void;
}
