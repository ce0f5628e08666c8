import type { Acknowledge } from '../core/async.js';
import type { SerializedError } from '../core/errors.js';
import type { ExecutionAttemptID, ResourceID } from '../core/ids.js';
import type {
  CheckpointFailureReason,
  CheckpointMetrics,
  SavepointFormatType,
} from '../checkpoint/checkpoint-types.js';
import type { TaskStateSnapshot } from '../state/state-handles.js';
import type { TaskManagerLocation } from '../core/task-manager-location.js';
import type { ArchivedExecutionGraphJson } from '../executiongraph/archived-execution-graph.js';
import type { JobStatus } from '../executiongraph/job-status.js';
import type { SlotOffer } from '../taskexecutor/slot-types.js';
import type { TaskExecutionState } from '../taskexecutor/task-execution-state.js';

/** How TaskExecutors and the Dispatcher talk to the JobMaster of one job (Flink's JobMasterGateway). */
export interface JobMasterGateway {
  /** A task changed state. Resolves false if the attempt is unknown or stale (and was ignored). */
  updateTaskExecutionState(state: TaskExecutionState): Promise<boolean>;
  /** A TaskExecutor offers slots it allocated for this job; resolves with the offers accepted. */
  offerSlots(taskManager: TaskManagerLocation, offers: readonly SlotOffer[]): Promise<SlotOffer[]>;
  /** A TaskExecutor is gone: its slots are lost and its tasks fail. */
  disconnectTaskManager(resourceId: ResourceID, cause: SerializedError): Promise<Acknowledge>;
  /** A task's part of a checkpoint is done: its state handles and metrics. */
  acknowledgeCheckpoint(
    executionAttemptId: ExecutionAttemptID,
    checkpointId: number,
    metrics: CheckpointMetrics,
    snapshot: TaskStateSnapshot,
  ): Promise<void>;
  /** A task could not take its part of a checkpoint. */
  declineCheckpoint(
    executionAttemptId: ExecutionAttemptID,
    checkpointId: number,
    reason: CheckpointFailureReason,
    cause?: SerializedError,
  ): Promise<void>;
  /** Triggers a checkpoint; resolves with its ID once completed. */
  triggerCheckpoint(): Promise<number>;
  /** Triggers a savepoint; resolves with its path. */
  triggerSavepoint(targetDirectory: string | null, formatType: SavepointFormatType): Promise<string>;
  /** Stop-with-savepoint; resolves with the savepoint path once the job finished. */
  stopWithSavepoint(targetDirectory: string | null, drain: boolean): Promise<string>;
  requestJobStatus(): Promise<JobStatus>;
  requestJob(): Promise<ArchivedExecutionGraphJson>;
  cancel(): Promise<Acknowledge>;
}
