import { EddyError, IllegalArgumentError } from '../core/errors.js';
import type { ExecutionAttemptID } from '../core/ids.js';
import { CheckpointFailureReason, SnapshotType, isSavepoint } from './checkpoint-types.js';
import type { CheckpointException } from './checkpoint-types.js';

/** Flink's message when the tolerance is exceeded. */
export const EXCEEDED_CHECKPOINT_TOLERABLE_FAILURE_MESSAGE =
  'Exceeded checkpoint tolerable failure threshold.';

/** A tolerance that never fails the job (Flink's UNLIMITED_TOLERABLE_FAILURE_NUMBER). */
export const UNLIMITED_TOLERABLE_FAILURE_NUMBER = Number.MAX_SAFE_INTEGER;

/** The job was failed because too many consecutive checkpoints failed; `cause` is the last failure. */
export class CheckpointToleranceExceededError extends EddyError {
  constructor(readonly lastFailure: CheckpointException) {
    super(EXCEEDED_CHECKPOINT_TOLERABLE_FAILURE_MESSAGE, { cause: lastFailure });
  }
}

/**
 * How a failure manager fails the job. `failingTask` is set when a task's decline caused it, so
 * that the scheduler can treat it as that task's failure.
 */
export type FailJobCallback = (cause: Error, failingTask?: ExecutionAttemptID) => void;

/**
 * Decides when failed checkpoints fail the job (Flink's CheckpointFailureManager,
 * `execution.checkpointing.tolerable-failed-checkpoints`, default 0).
 *
 * Only `counted` reasons count (IO_EXCEPTION, CHECKPOINT_ASYNC_EXCEPTION, CHECKPOINT_EXPIRED,
 * CHECKPOINT_DECLINED, FINALIZE_CHECKPOINT_FAILURE). Failures count while consecutive: a successful
 * checkpoint resets the counter, several reports for one checkpoint ID count once, and failures of
 * checkpoints older than the last success are ignored. When the count exceeds the tolerance the
 * counter resets and `failJob` is called.
 *
 * Savepoints: a JobMaster-side failure of any savepoint never counts (a manual action the failover
 * would not help); a task-side failure of a synchronous savepoint always fails the job (otherwise a
 * stop-with-savepoint could wait forever).
 */
export class CheckpointFailureManager {
  private continuousFailureCounter = 0;
  private readonly countedCheckpointIds = new Set<number>();
  private lastSucceededCheckpointId = Number.NEGATIVE_INFINITY;

  /**
   * @param tolerableCheckpointFailureNumber consecutive counted failures tolerated; >= 0
   * @param failJob called when the tolerance is exceeded
   */
  constructor(
    private readonly tolerableCheckpointFailureNumber: number,
    private readonly failJob: FailJobCallback,
  ) {
    if (!Number.isInteger(tolerableCheckpointFailureNumber) || tolerableCheckpointFailureNumber < 0) {
      throw new IllegalArgumentError(
        'The tolerable checkpoint failure number is illegal, it must be greater than or equal to 0.',
      );
    }
  }

  /**
   * A failure of `checkpointId`: task-level when `failingTask` declined it, else job-level.
   */
  handleCheckpointException(
    exception: CheckpointException,
    checkpointId: number,
    snapshotType: SnapshotType,
    failingTask?: ExecutionAttemptID,
  ): void {
    if (failingTask !== undefined) {
      this.handleTaskLevelCheckpointException(exception, checkpointId, snapshotType, failingTask);
    } else {
      this.handleJobLevelCheckpointException(exception, checkpointId, snapshotType);
    }
  }

  /**
   * A failure on the JobMaster side (trigger, expiry, finalization).
   *
   * @param checkpointId the failed checkpoint, or undefined when it failed before it had an ID
   * @param snapshotType its type; savepoints are never counted. Default CHECKPOINT.
   */
  handleJobLevelCheckpointException(
    exception: CheckpointException,
    checkpointId: number | undefined,
    snapshotType: SnapshotType = SnapshotType.CHECKPOINT,
  ): void {
    if (!isSavepoint(snapshotType)) {
      this.checkFailureAgainstCounter(exception, checkpointId, (cause) => {
        this.failJob(cause);
      });
    }
  }

  /** A task declined `checkpointId`. */
  handleTaskLevelCheckpointException(
    exception: CheckpointException,
    checkpointId: number,
    snapshotType: SnapshotType,
    failingTask: ExecutionAttemptID,
  ): void {
    if (snapshotType === SnapshotType.SYNC_SAVEPOINT) {
      this.failJob(exception);
    } else {
      this.checkFailureAgainstCounter(exception, checkpointId, (cause) => {
        this.failJob(cause, failingTask);
      });
    }
  }

  /** `checkpointId` completed: the consecutive count restarts, unless an older one completed late. */
  handleCheckpointSuccess(checkpointId: number): void {
    if (checkpointId > this.lastSucceededCheckpointId) {
      this.lastSucceededCheckpointId = checkpointId;
      this.clearCount();
    }
  }

  /** Current number of consecutive counted failures. */
  getContinuousFailureCount(): number {
    return this.continuousFailureCounter;
  }

  private checkFailureAgainstCounter(
    exception: CheckpointException,
    checkpointId: number | undefined,
    onExceeded: (cause: Error) => void,
  ): void {
    if (checkpointId !== undefined && checkpointId <= this.lastSucceededCheckpointId) return;
    this.checkFailureCounter(exception, checkpointId);
    if (this.continuousFailureCounter > this.tolerableCheckpointFailureNumber) {
      this.clearCount();
      onExceeded(new CheckpointToleranceExceededError(exception));
    }
  }

  private checkFailureCounter(exception: CheckpointException, checkpointId: number | undefined): void {
    if (this.tolerableCheckpointFailureNumber === UNLIMITED_TOLERABLE_FAILURE_NUMBER) return;
    if (!CheckpointFailureReason[exception.reason].counted) return;
    // One checkpoint counts once, however many tasks report its failure.
    if (checkpointId === undefined || !this.countedCheckpointIds.has(checkpointId)) {
      if (checkpointId !== undefined) this.countedCheckpointIds.add(checkpointId);
      this.continuousFailureCounter++;
    }
  }

  private clearCount(): void {
    this.continuousFailureCounter = 0;
    this.countedCheckpointIds.clear();
  }
}
