import type { CheckpointType, SavepointFormatType } from '../checkpoint/checkpoint-types.js';
import type { CompletedCheckpoint } from '../checkpoint/completed-checkpoint.js';
import type { ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.js';
import type { JobStatus } from '../executiongraph/job-status.js';
import type { TaskExecutionState } from '../taskexecutor/task-execution-state.js';

/** The scheduler of one job, driven by its JobMaster (Flink's SchedulerNG). */
export interface SchedulerNG {
  /** Moves the job to RUNNING and deploys the regions that can run. */
  startScheduling(): void;
  /** Cancels the job: CANCELLING, then CANCELED once every task is terminal. */
  cancel(): void;
  /** Resolves with the job's terminal status. */
  getJobTerminationFuture(): Promise<JobStatus>;
  /** A task reported a new state; returns false if the report was stale or unknown (ignored). */
  updateTaskExecutionState(state: TaskExecutionState): boolean;
  /** A failure not tied to one task: restarts everything (or fails the job). */
  handleGlobalFailure(cause: Error): void;
  /** Triggers a checkpoint; resolves with it once completed (rejects without checkpointing settings). */
  triggerCheckpoint(checkpointType?: CheckpointType): Promise<CompletedCheckpoint>;
  /** Triggers a savepoint; resolves with its path. */
  triggerSavepoint(targetDirectory: string | null, formatType?: SavepointFormatType): Promise<string>;
  /** Stop-with-savepoint: resolves with the savepoint path once the job FINISHED (the seed's `terminate` is `drain`). */
  stopWithSavepoint(targetDirectory: string | null, drain: boolean): Promise<string>;
  requestJob(): ArchivedExecutionGraph;
  requestJobStatus(): JobStatus;
  closeAsync(): Promise<void>;
}
