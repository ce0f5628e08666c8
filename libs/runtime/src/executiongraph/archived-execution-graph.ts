import type { CheckpointStatsSnapshot } from '../checkpoint/checkpoint-stats.js';
import type { CheckpointCoordinatorConfigurationJson } from '../jobgraph/checkpointing-settings.js';
import { Configuration } from '../core/configuration.js';
import type { ErrorInfo, SerializedError } from '../core/errors.js';
import type { ExecutionAttemptID, IntermediateDataSetID, JobID, JobVertexID } from '../core/ids.js';
import type { TaskManagerLocation } from '../core/task-manager-location.js';
import type { SerializedAccumulator } from '../execution/accumulators.js';
import type { TaskIOMetrics } from '../execution/environment.js';
import type { ExecutionState } from '../execution/execution-state.js';
import type { DistributionPattern, JobType, ResultPartitionType } from '../jobgraph/enums.js';
import type { ExecutionStateCounts } from './execution-job-vertex.js';
import type { JobStatus } from './job-status.js';

/** A failure in the job's exception history (Flink's RootExceptionHistoryEntry). */
export interface ExceptionHistoryEntry {
  readonly exception: SerializedError;
  readonly timestamp: number;
  /** `name (i/p)` of the failed subtask; absent for a global failure. */
  readonly failingTaskName?: string;
  readonly taskManagerLocation?: TaskManagerLocation;
  /** Failures of other tasks caused by the same failover. */
  readonly concurrentExceptions: readonly ExceptionHistoryEntry[];
}

export interface ArchivedExecutionJson {
  readonly attemptId: ExecutionAttemptID;
  readonly attemptNumber: number;
  readonly state: ExecutionState;
  readonly stateTimestamps: Readonly<Record<ExecutionState, number>>;
  readonly failureInfo?: ErrorInfo;
  readonly location?: TaskManagerLocation;
  readonly ioMetrics?: TaskIOMetrics;
}

export interface ArchivedExecutionVertexJson {
  readonly subtaskIndex: number;
  readonly taskNameWithSubtaskIndex: string;
  readonly currentExecution: ArchivedExecutionJson;
  /** Earlier attempts, oldest first. */
  readonly priorExecutions: readonly ArchivedExecutionJson[];
}

export interface ArchivedJobEdgeJson {
  readonly dataSetId: IntermediateDataSetID;
  readonly source: JobVertexID;
  readonly distributionPattern: DistributionPattern;
  readonly resultPartitionType: ResultPartitionType;
  readonly shipStrategy: string;
}

export interface ArchivedExecutionJobVertexJson {
  readonly id: JobVertexID;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly invokable: string;
  readonly aggregateState: ExecutionState;
  readonly stateCounts: ExecutionStateCounts;
  readonly inputs: readonly ArchivedJobEdgeJson[];
  readonly subtasks: readonly ArchivedExecutionVertexJson[];
  readonly accumulators: Readonly<Record<string, SerializedAccumulator>>;
}

/**
 * Everything worth knowing about a job once it is over (or at one moment while it runs): the
 * plain-data form of Flink's ArchivedExecutionGraph, which the Dispatcher stores and REST shows.
 */
export interface ArchivedExecutionGraphJson {
  readonly jobId: JobID;
  readonly jobName: string;
  readonly jobType: JobType;
  readonly state: JobStatus;
  /** When the job entered each status it went through. */
  readonly stateTimestamps: Readonly<Partial<Record<JobStatus, number>>>;
  readonly failureInfo?: ErrorInfo;
  readonly vertices: readonly ArchivedExecutionJobVertexJson[];
  readonly jobConfiguration: Readonly<Record<string, string>>;
  readonly accumulators: Readonly<Record<string, SerializedAccumulator>>;
  readonly exceptionHistory: readonly ExceptionHistoryEntry[];
  readonly checkpointingEnabled: boolean;
  /** The checkpoint coordinator's configuration, when the job has checkpointing settings. */
  readonly checkpointConfiguration?: CheckpointCoordinatorConfigurationJson;
  /** Checkpoint statistics (counts, summary, latest, history), when the job has checkpointing settings. */
  readonly checkpointStats?: CheckpointStatsSnapshot;
}

/** Read access to a job's execution graph, live or archived (Flink's AccessExecutionGraph). */
export interface AccessExecutionGraph {
  getJobName(): string;
  getJobID(): JobID;
  getState(): JobStatus;
  getJobType(): JobType;
  /** When the job entered `status`, or 0 if it never did. */
  getStatusTimestamp(status: JobStatus): number;
  getFailureInfo(): ErrorInfo | undefined;
  getFailureCauseAsString(): string;
  getJobConfiguration(): Configuration;
  isStoppable(): boolean;
  archive(): ArchivedExecutionGraph;
}

/** An immutable snapshot of an execution graph (Flink's ArchivedExecutionGraph). */
export class ArchivedExecutionGraph implements AccessExecutionGraph {
  constructor(
    private readonly json: ArchivedExecutionGraphJson,
    private readonly configuration: Configuration,
  ) {}

  static fromJson(json: ArchivedExecutionGraphJson): ArchivedExecutionGraph {
    return new ArchivedExecutionGraph(json, new Configuration(json.jobConfiguration));
  }

  /** The archive of a job that ended before it had an execution graph (Flink's sparse graph). */
  static createSparse(params: {
    jobId: JobID;
    jobName: string;
    jobType: JobType;
    state: JobStatus;
    failureInfo?: ErrorInfo;
    stateTimestamps: Partial<Record<JobStatus, number>>;
    jobConfiguration?: Configuration;
  }): ArchivedExecutionGraph {
    const configuration = params.jobConfiguration ?? new Configuration();
    return new ArchivedExecutionGraph(
      {
        jobId: params.jobId,
        jobName: params.jobName,
        jobType: params.jobType,
        state: params.state,
        stateTimestamps: params.stateTimestamps,
        ...(params.failureInfo !== undefined ? { failureInfo: params.failureInfo } : {}),
        vertices: [],
        jobConfiguration: configuration.toMap(),
        accumulators: {},
        exceptionHistory: [],
        checkpointingEnabled: false,
      },
      configuration,
    );
  }

  getJobName(): string {
    return this.json.jobName;
  }
  getJobID(): JobID {
    return this.json.jobId;
  }
  getState(): JobStatus {
    return this.json.state;
  }
  getJobType(): JobType {
    return this.json.jobType;
  }
  getStatusTimestamp(status: JobStatus): number {
    return this.json.stateTimestamps[status] ?? 0;
  }
  getFailureInfo(): ErrorInfo | undefined {
    return this.json.failureInfo;
  }
  getFailureCauseAsString(): string {
    const failure = this.json.failureInfo?.exception;
    if (failure === undefined) return '(empty)';
    return failure.stack ?? `${failure.name}: ${failure.message}`;
  }
  getJobConfiguration(): Configuration {
    return this.configuration;
  }
  isStoppable(): boolean {
    return false;
  }
  archive(): this {
    return this;
  }
  getAllVertices(): readonly ArchivedExecutionJobVertexJson[] {
    return this.json.vertices;
  }
  getJobVertex(id: JobVertexID): ArchivedExecutionJobVertexJson | undefined {
    return this.json.vertices.find((vertex) => vertex.id === id);
  }
  getAccumulators(): Readonly<Record<string, SerializedAccumulator>> {
    return this.json.accumulators;
  }
  /** Checkpoint statistics; undefined when the job has no checkpointing settings. */
  getCheckpointStatsSnapshot(): CheckpointStatsSnapshot | undefined {
    return this.json.checkpointStats;
  }
  getExceptionHistory(): readonly ExceptionHistoryEntry[] {
    return this.json.exceptionHistory;
  }
  toJson(): ArchivedExecutionGraphJson {
    return this.json;
  }
}
