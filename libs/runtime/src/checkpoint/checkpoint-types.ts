import { EddyError } from '../core/errors.js';

/**
 * The kind of a snapshot (Flink's CheckpointType / SavepointType): a periodic or manual
 * CHECKPOINT; a SAVEPOINT a user triggered (never subsumed, never used for recovery); or the
 * synchronous savepoint of stop-with-savepoint, after which the job ends (with `drain`, sources end
 * their input first).
 */
export const SnapshotType = {
  CHECKPOINT: 'CHECKPOINT',
  SAVEPOINT: 'SAVEPOINT',
  SYNC_SAVEPOINT: 'SYNC_SAVEPOINT',
} as const;
export type SnapshotType = (typeof SnapshotType)[keyof typeof SnapshotType];

/** The seed's CheckpointType: `triggerCheckpoint(CheckpointType.CHECKPOINT)`. */
export const CheckpointType = { CHECKPOINT: 'CHECKPOINT', SAVEPOINT: 'SAVEPOINT' } as const;
export type CheckpointType = (typeof CheckpointType)[keyof typeof CheckpointType];

export function isSavepoint(type: SnapshotType): boolean {
  return type !== SnapshotType.CHECKPOINT;
}

/** The format of a savepoint; Eddy's state backend writes the same (canonical) form for both. */
export const SavepointFormatType = { CANONICAL: 'CANONICAL', NATIVE: 'NATIVE' } as const;
export type SavepointFormatType = (typeof SavepointFormatType)[keyof typeof SavepointFormatType];

/** How a job restored from a savepoint treats it (Flink's RestoreMode / claim mode). */
export const RecoveryClaimMode = { NO_CLAIM: 'NO_CLAIM', CLAIM: 'CLAIM', LEGACY: 'LEGACY' } as const;
export type RecoveryClaimMode = (typeof RecoveryClaimMode)[keyof typeof RecoveryClaimMode];

/** What travels with a checkpoint trigger and barrier (Flink's CheckpointOptions). Plain data. */
export interface CheckpointOptions {
  readonly snapshotType: SnapshotType;
  /** With SYNC_SAVEPOINT: whether sources end their input before the savepoint (stop --drain). */
  readonly drain: boolean;
  /**
   * Directory this snapshot's files go to (absolute), or null when state is kept inline (no
   * checkpoint directory configured: Flink's JobManagerCheckpointStorage).
   */
  readonly targetLocation: string | null;
}

/** Identifies a snapshot at a task (Flink's CheckpointMetaData). */
export interface CheckpointMetaData {
  readonly checkpointId: number;
  readonly timestamp: number;
}

/** What a task measured while taking its part of a snapshot (Flink's CheckpointMetrics). */
export interface CheckpointMetrics {
  readonly syncDurationMs: number;
  readonly asyncDurationMs: number;
  /** Time from the first barrier to the last one on a task with several inputs. */
  readonly alignmentDurationMs: number;
  /** Bytes (here: records) processed while aligning. */
  readonly bytesProcessedDuringAlignment: number;
  /** Time from the trigger to the first barrier reaching the task. */
  readonly checkpointStartDelayMs: number;
  /** Size of the state the task reported, in bytes. */
  readonly stateSize: number;
}

/**
 * Why a checkpoint failed (Flink's CheckpointFailureReason). `counted` reasons count towards
 * `execution.checkpointing.tolerable-failed-checkpoints`; the others never fail the job.
 */
export const CheckpointFailureReason = {
  PERIODIC_SCHEDULER_SHUTDOWN: { message: 'Periodic checkpoint scheduler is shut down.', counted: false },
  TOO_MANY_CHECKPOINT_REQUESTS: {
    message: 'The maximum number of queued checkpoint requests exceeded',
    counted: false,
  },
  MINIMUM_TIME_BETWEEN_CHECKPOINTS: {
    message: 'The minimum time between checkpoints is still pending.',
    counted: false,
  },
  NOT_ALL_REQUIRED_TASKS_RUNNING: {
    message: 'Not all required tasks are currently running.',
    counted: false,
  },
  IO_EXCEPTION: { message: 'An Exception occurred while triggering the checkpoint.', counted: true },
  CHECKPOINT_ASYNC_EXCEPTION: { message: 'Asynchronous task checkpoint failed.', counted: true },
  CHECKPOINT_EXPIRED: { message: 'Checkpoint expired before completing.', counted: true },
  CHECKPOINT_SUBSUMED: { message: 'Checkpoint has been subsumed.', counted: false },
  CHECKPOINT_DECLINED: { message: 'Checkpoint was declined.', counted: true },
  CHECKPOINT_DECLINED_TASK_NOT_READY: {
    message: 'Checkpoint was declined (tasks not ready)',
    counted: false,
  },
  CHECKPOINT_COORDINATOR_SHUTDOWN: { message: 'CheckpointCoordinator shutdown.', counted: false },
  CHECKPOINT_COORDINATOR_SUSPEND: { message: 'Checkpoint Coordinator is suspending.', counted: false },
  FINALIZE_CHECKPOINT_FAILURE: { message: 'Failure to finalize checkpoint.', counted: true },
  TRIGGER_CHECKPOINT_FAILURE: { message: 'Trigger checkpoint failure.', counted: false },
  JOB_FAILOVER_REGION: { message: 'FailoverRegion is cancelling tasks.', counted: false },
  TASK_FAILURE: { message: 'Task has failed.', counted: false },
  TASK_CHECKPOINT_FAILURE: { message: 'Task local checkpoint failure.', counted: false },
} as const;
export type CheckpointFailureReason = keyof typeof CheckpointFailureReason;

/** A checkpoint failed or was refused; `reason` says why (Flink's CheckpointException). */
export class CheckpointException extends EddyError {
  constructor(
    readonly reason: CheckpointFailureReason,
    options?: { cause?: unknown; detail?: string },
  ) {
    super(
      CheckpointFailureReason[reason].message +
        (options?.detail !== undefined ? ` ${options.detail}` : '') +
        (options?.cause instanceof Error ? ` Cause: ${options.cause.message}` : ''),
      options?.cause !== undefined ? { cause: options.cause } : undefined,
    );
  }
}
