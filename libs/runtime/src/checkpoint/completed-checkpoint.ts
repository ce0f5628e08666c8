import type { JobID } from '../core/ids.js';
import type { JobStatus } from '../executiongraph/job-status.js';
import { CheckpointRetentionPolicy } from '../jobgraph/checkpointing-settings.js';
import { isSavepoint } from './checkpoint-types.js';
import type { SavepointFormatType, SnapshotType } from './checkpoint-types.js';
import type { CheckpointMetadataJson, CheckpointStorageLocation } from './storage/checkpoint-storage.js';

/** What a completed snapshot needs to delete its files: its storage location, or anything that can dispose. */
export type CompletedCheckpointDisposer = Pick<CheckpointStorageLocation, 'dispose'>;

/** The fields of a {@link CompletedCheckpoint}. */
export interface CompletedCheckpointProps {
  readonly jobId: JobID;
  readonly checkpointId: number;
  /** When the snapshot was triggered (wall clock, ms). */
  readonly timestamp: number;
  /** When the last acknowledgement arrived and the metadata was written (wall clock, ms). */
  readonly completionTimestamp: number;
  readonly snapshotType: SnapshotType;
  /** The format of a savepoint; null for checkpoints. Default null. */
  readonly savepointFormat?: SavepointFormatType | null;
  /** The content of the snapshot's `_metadata`. */
  readonly metadata: CheckpointMetadataJson;
  /** Where the snapshot can be found again (`CheckpointStorageLocation.finalize`'s result). */
  readonly externalPointer: string;
  /** Deletes the snapshot's files on discard (normally its CheckpointStorageLocation). */
  readonly storageLocation: CompletedCheckpointDisposer;
  /** Called once when the checkpoint is discarded (the stats tracker marks it as discarded). */
  readonly onDiscarded?: () => void;
}

/**
 * A snapshot every task acknowledged and whose `_metadata` is written (Flink's CompletedCheckpoint).
 * Checkpoints live in a {@link CompletedCheckpointStore} until they are subsumed or the job ends;
 * savepoints belong to the user and are never discarded by the runtime.
 */
export class CompletedCheckpoint {
  readonly jobId: JobID;
  readonly checkpointId: number;
  readonly timestamp: number;
  readonly completionTimestamp: number;
  readonly snapshotType: SnapshotType;
  readonly savepointFormat: SavepointFormatType | null;
  readonly metadata: CheckpointMetadataJson;
  readonly externalPointer: string;
  private readonly storageLocation: CompletedCheckpointDisposer;
  private readonly onDiscarded: (() => void) | undefined;
  private discardResult: Promise<void> | undefined;

  constructor(props: CompletedCheckpointProps) {
    this.jobId = props.jobId;
    this.checkpointId = props.checkpointId;
    this.timestamp = props.timestamp;
    this.completionTimestamp = props.completionTimestamp;
    this.snapshotType = props.snapshotType;
    this.savepointFormat = props.savepointFormat ?? null;
    this.metadata = props.metadata;
    this.externalPointer = props.externalPointer;
    this.storageLocation = props.storageLocation;
    this.onDiscarded = props.onDiscarded;
  }

  /** Whether this is a savepoint (user-triggered or stop-with-savepoint) rather than a checkpoint. */
  isSavepoint(): boolean {
    return isSavepoint(this.snapshotType);
  }

  /** Total bytes of state the snapshot references, summed over all handles. */
  getStateSize(): number {
    return computeStateSize(this.metadata);
  }

  /** Savepoints are never discarded when a newer checkpoint subsumes them. */
  shouldBeDiscardedOnSubsume(): boolean {
    return !this.isSavepoint();
  }

  /**
   * Whether the job ending in `jobStatus` deletes this snapshot under `retentionPolicy`. Savepoints
   * are never deleted; see {@link shouldDiscardOnShutdown} for checkpoints.
   */
  shouldBeDiscardedOnShutdown(jobStatus: JobStatus, retentionPolicy: CheckpointRetentionPolicy): boolean {
    return !this.isSavepoint() && shouldDiscardOnShutdown(retentionPolicy, jobStatus);
  }

  isDiscarded(): boolean {
    return this.discardResult !== undefined;
  }

  /** Deletes the snapshot's files. Idempotent: later calls return the first call's result. */
  discard(): Promise<void> {
    if (this.discardResult === undefined) {
      this.onDiscarded?.();
      this.discardResult = this.storageLocation.dispose();
    }
    return this.discardResult;
  }
}

/**
 * Flink's CheckpointProperties for externalized checkpoints, as one function: whether a checkpoint
 * is deleted when the job ends in `jobStatus`.
 *
 * - NEVER_RETAIN_AFTER_TERMINATION: deleted on FINISHED, CANCELED, FAILED and SUSPENDED.
 * - RETAIN_ON_FAILURE (Flink's DELETE_ON_CANCELLATION): kept on FAILED; deleted on FINISHED,
 *   CANCELED and SUSPENDED.
 * - RETAIN_ON_CANCELLATION: kept on CANCELED, FAILED and SUSPENDED; deleted on FINISHED.
 *
 * A non-terminal status never deletes.
 */
export function shouldDiscardOnShutdown(policy: CheckpointRetentionPolicy, jobStatus: JobStatus): boolean {
  switch (policy) {
    case CheckpointRetentionPolicy.NEVER_RETAIN_AFTER_TERMINATION:
      return (
        jobStatus === 'FINISHED' ||
        jobStatus === 'CANCELED' ||
        jobStatus === 'FAILED' ||
        jobStatus === 'SUSPENDED'
      );
    case CheckpointRetentionPolicy.RETAIN_ON_FAILURE:
      return jobStatus === 'FINISHED' || jobStatus === 'CANCELED' || jobStatus === 'SUSPENDED';
    case CheckpointRetentionPolicy.RETAIN_ON_CANCELLATION:
      return jobStatus === 'FINISHED';
  }
}

/** Sums the sizes of every keyed and operator state handle in a snapshot's metadata. */
export function computeStateSize(metadata: CheckpointMetadataJson): number {
  let size = 0;
  for (const operator of metadata.operators) {
    for (const subtask of Object.values(operator.subtaskStates)) {
      for (const keyed of subtask.managedKeyedState) size += keyed.stream.size;
      for (const op of subtask.managedOperatorState) size += op.stream.size;
    }
  }
  return size;
}
