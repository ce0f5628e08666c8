import { IllegalArgumentError } from '../core/errors.js';
import type { JobStatus } from '../executiongraph/job-status.js';
import type { CheckpointRetentionPolicy } from '../jobgraph/checkpointing-settings.js';
import type { CompletedCheckpoint } from './completed-checkpoint.js';

/** Flink's `state.checkpoints.num-retained` default. */
export const DEFAULT_MAX_RETAINED_CHECKPOINTS = 1;

/**
 * The completed checkpoints of a job that recovery may use (Flink's CompletedCheckpointStore),
 * oldest first. Adding beyond the retention bound subsumes the oldest, discarding its files.
 */
export interface CompletedCheckpointStore {
  /**
   * Adds `checkpoint` as the latest and subsumes the oldest ones beyond the retention bound
   * (discarding those that are discarded on subsume). Resolves to the subsumed checkpoint with the
   * highest ID, if any. The latest checkpoint is never subsumed.
   */
  addCheckpointAndSubsumeOldestOne(checkpoint: CompletedCheckpoint): Promise<CompletedCheckpoint | undefined>;
  /** The latest checkpoint, or undefined when there is none. */
  getLatestCheckpoint(): CompletedCheckpoint | undefined;
  /** The latest checkpoint's ID, or 0 when there is none (IDs start at 1). */
  getLatestCheckpointId(): number;
  /** All retained checkpoints, oldest first. */
  getAllCheckpoints(): readonly CompletedCheckpoint[];
  getNumberOfRetainedCheckpoints(): number;
  getMaxNumberOfRetainedCheckpoints(): number;
  /**
   * The job ended (or this JobMaster stopped) in `jobStatus`: discards every checkpoint the
   * retention policy does not keep for that status, and forgets all of them.
   */
  shutdown(jobStatus: JobStatus, retentionPolicy: CheckpointRetentionPolicy): Promise<void>;
}

/**
 * The store without high availability (Flink's StandaloneCompletedCheckpointStore): checkpoints
 * live in memory and are gone with the JobMaster. Keeps `maxRetained` checkpoints (default 1).
 */
export class StandaloneCompletedCheckpointStore implements CompletedCheckpointStore {
  private readonly checkpoints: CompletedCheckpoint[] = [];

  /** @param maxRetained checkpoints kept; at least 1. Default {@link DEFAULT_MAX_RETAINED_CHECKPOINTS}. */
  constructor(private readonly maxRetained: number = DEFAULT_MAX_RETAINED_CHECKPOINTS) {
    if (!Number.isInteger(maxRetained) || maxRetained < 1) {
      throw new IllegalArgumentError('The number of retained checkpoints must be at least 1.');
    }
  }

  async addCheckpointAndSubsumeOldestOne(
    checkpoint: CompletedCheckpoint,
  ): Promise<CompletedCheckpoint | undefined> {
    this.checkpoints.push(checkpoint);
    const subsumed = subsumeCheckpoints(this.checkpoints, this.maxRetained);
    await discardAll(subsumed.filter((cp) => cp.shouldBeDiscardedOnSubsume()));
    return subsumed.reduce<CompletedCheckpoint | undefined>(
      (latest, cp) => (latest === undefined || cp.checkpointId > latest.checkpointId ? cp : latest),
      undefined,
    );
  }

  getLatestCheckpoint(): CompletedCheckpoint | undefined {
    return this.checkpoints[this.checkpoints.length - 1];
  }

  getLatestCheckpointId(): number {
    return this.getLatestCheckpoint()?.checkpointId ?? 0;
  }

  getAllCheckpoints(): readonly CompletedCheckpoint[] {
    return [...this.checkpoints];
  }

  getNumberOfRetainedCheckpoints(): number {
    return this.checkpoints.length;
  }

  getMaxNumberOfRetainedCheckpoints(): number {
    return this.maxRetained;
  }

  async shutdown(jobStatus: JobStatus, retentionPolicy: CheckpointRetentionPolicy): Promise<void> {
    if (jobStatus === 'SUSPENDED') {
      // A suspended job is recovered elsewhere from its checkpoints (Flink's
      // DefaultCompletedCheckpointStore discards only on a globally terminal status).
      this.checkpoints.length = 0;
      return;
    }
    const toDiscard = this.checkpoints.filter((cp) =>
      cp.shouldBeDiscardedOnShutdown(jobStatus, retentionPolicy),
    );
    this.checkpoints.length = 0;
    await discardAll(toDiscard);
  }
}

/**
 * Removes from `checkpoints` (oldest first) the ones beyond `numRetain`, as Flink's
 * CheckpointSubsumeHelper does: the latest is never removed, savepoints go first, and a checkpoint
 * is only removed while a newer non-savepoint checkpoint stays for recovery. Returns the removed.
 */
export function subsumeCheckpoints(
  checkpoints: CompletedCheckpoint[],
  numRetain: number,
): CompletedCheckpoint[] {
  const removed: CompletedCheckpoint[] = [];
  const latest = checkpoints[checkpoints.length - 1];
  if (latest === undefined || checkpoints.length <= numRetain) return removed;
  const latestNotSavepoint = [...checkpoints].reverse().find((cp) => !cp.isSavepoint());
  for (let i = 0; i < checkpoints.length && checkpoints.length > numRetain;) {
    const next = checkpoints[i];
    const canSubsume =
      next !== undefined &&
      next !== latest &&
      (next.isSavepoint() || (latestNotSavepoint !== undefined && latestNotSavepoint !== next));
    if (next !== undefined && canSubsume) {
      checkpoints.splice(i, 1);
      removed.push(next);
    } else {
      i++;
    }
  }
  return removed;
}

/** Discards each checkpoint. A failed discard leaves files behind but never fails the caller. */
async function discardAll(checkpoints: readonly CompletedCheckpoint[]): Promise<void> {
  await Promise.all(checkpoints.map((cp) => cp.discard().catch(() => undefined)));
}
