import type { ExecutionAttemptID, JobVertexID, OperatorID } from '../core/ids.js';
import type { CheckpointMetaData, CheckpointOptions } from './checkpoint-types.js';

/** A running task as the CheckpointCoordinator sees it: its identity and the calls it receives. */
export interface CheckpointTaskHandle {
  readonly attemptId: ExecutionAttemptID;
  readonly jobVertexId: JobVertexID;
  readonly subtaskIndex: number;
  /** Asks a source task to take a snapshot and inject the barrier. */
  triggerCheckpoint(metadata: CheckpointMetaData, options: CheckpointOptions): Promise<void>;
  notifyCheckpointComplete(checkpointId: number, timestamp: number): Promise<void>;
  notifyCheckpointAborted(checkpointId: number, latestCompletedCheckpointId: number): Promise<void>;
}

/** The tasks of one checkpoint (Flink's CheckpointPlan). */
export interface CheckpointPlan {
  /** The source tasks: they get the trigger. */
  readonly tasksToTrigger: readonly CheckpointTaskHandle[];
  /** Every task: the checkpoint completes when all of them acknowledged. */
  readonly tasksToWaitFor: readonly CheckpointTaskHandle[];
  /** Tasks told about completion and abortion. */
  readonly tasksToCommitTo: readonly CheckpointTaskHandle[];
}

/** An operator of a job vertex, with the uid its OperatorID comes from (if any). */
export interface OperatorIDPair {
  readonly operatorId: OperatorID;
  readonly uid?: string;
}

/** What the coordinator and state assignment know of a job vertex. */
export interface CheckpointVertexInfo {
  readonly jobVertexId: JobVertexID;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** Its operators, head first (a chain has several). */
  readonly operators: readonly OperatorIDPair[];
}

/** Gives the coordinator the current tasks of the job (Flink's CheckpointPlanCalculator). */
export interface CheckpointPlanCalculator {
  /**
   * The plan for a checkpoint now. Throws CheckpointException(NOT_ALL_REQUIRED_TASKS_RUNNING)
   * when a task that must take part is not RUNNING.
   */
  calculateCheckpointPlan(): CheckpointPlan;
  getVertices(): readonly CheckpointVertexInfo[];
}
