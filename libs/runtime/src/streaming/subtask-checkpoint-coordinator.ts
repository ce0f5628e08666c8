import { EddyError } from '../core/errors.js';
import type {
  CheckpointFailureReason,
  CheckpointMetaData,
  CheckpointOptions,
} from '../checkpoint/checkpoint-types.js';
import type { TaskStateManager } from '../execution/checkpointable.js';
import type { AlignmentMetrics } from './barrier-aligner.js';
import type { OperatorChain } from './operator-chain.js';

/** Alignment figures of a checkpoint a source takes on its own (nothing to align). */
export function sourceAlignmentMetrics(metadata: CheckpointMetaData, now: number): AlignmentMetrics {
  return {
    alignmentDurationMs: 0,
    checkpointStartDelayMs: Math.max(0, now - metadata.timestamp),
    recordsProcessedDuringAlignment: 0,
  };
}

function asError(cause: unknown): Error {
  return cause instanceof Error ? cause : new Error(String(cause));
}

/**
 * Takes a task's part of a checkpoint (Flink's SubtaskCheckpointCoordinatorImpl): synchronously,
 * the chain's operators and backends snapshot and the barrier is forwarded on every writer; then,
 * asynchronously, the backends' copies are written and the snapshot is acknowledged to the
 * TaskStateManager (or declined when writing failed, CHECKPOINT_ASYNC_EXCEPTION). A failure of the
 * synchronous part fails the task, as in Flink.
 */
export class SubtaskCheckpointCoordinator {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly chain: OperatorChain,
    private readonly taskStateManager: TaskStateManager,
    private readonly now: () => number = Date.now,
  ) {}

  /** Snapshots, forwards the barrier and starts the asynchronous part. @throws when the synchronous part fails */
  checkpointState(
    metadata: CheckpointMetaData,
    options: CheckpointOptions,
    alignment: AlignmentMetrics,
  ): void {
    const { checkpointId, timestamp } = metadata;
    const start = this.now();
    this.chain.currentCheckpointId = Math.max(this.chain.currentCheckpointId, checkpointId);
    let asyncPart: Promise<void>;
    try {
      const snapshot = this.chain.snapshotState(
        checkpointId,
        timestamp,
        options,
        this.taskStateManager.createStreamFactory(options),
      );
      const syncDurationMs = this.now() - start;
      const asyncStart = this.now();
      asyncPart = snapshot
        .then(({ snapshot: state, stateSize }) => {
          this.taskStateManager.acknowledgeCheckpoint(
            checkpointId,
            {
              syncDurationMs,
              asyncDurationMs: this.now() - asyncStart,
              alignmentDurationMs: alignment.alignmentDurationMs,
              bytesProcessedDuringAlignment: alignment.recordsProcessedDuringAlignment,
              checkpointStartDelayMs: alignment.checkpointStartDelayMs,
              stateSize,
            },
            state,
          );
        })
        .catch((error: unknown) => {
          this.taskStateManager.declineCheckpoint(checkpointId, 'CHECKPOINT_ASYNC_EXCEPTION', asError(error));
        });
    } catch (error) {
      // As in Flink, a failure in the synchronous part fails the task (the failover then aborts the
      // checkpoint); only failures of the asynchronous part decline it.
      throw new EddyError(
        `The synchronous part of checkpoint ${checkpointId} failed: ${asError(error).message}`,
        {
          cause: error,
        },
      );
    }
    this.chain.broadcastEvent({ type: 'CheckpointBarrier', checkpointId, timestamp, options });
    const tracked = asyncPart;
    this.inFlight.add(tracked);
    const settle = (): void => {
      this.inFlight.delete(tracked);
    };
    tracked.then(settle, settle);
  }

  /** Declines `checkpointId` (a subsumed alignment, a task not ready). */
  declineCheckpoint(checkpointId: number, reason: CheckpointFailureReason, cause?: Error): void {
    this.taskStateManager.declineCheckpoint(checkpointId, reason, cause);
  }

  /** Resolves when every started asynchronous part acknowledged or declined. */
  async waitForPendingCheckpoints(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled(this.inFlight);
  }
}
