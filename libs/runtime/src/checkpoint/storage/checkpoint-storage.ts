import type { JobID, OperatorID } from '../../core/ids.js';
import type { OperatorSubtaskState, StreamStateHandle } from '../../state/state-handles.js';
import type { SnapshotType } from '../checkpoint-types.js';

/** The state of one operator in a snapshot, all subtasks. */
export interface OperatorStateMetadata {
  readonly operatorId: OperatorID;
  /** The operator's uid when known (for error messages on restore). */
  readonly uid?: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** By subtask index (as a string key in JSON). */
  readonly subtaskStates: Readonly<Record<string, OperatorSubtaskState>>;
}

/** The content of `_metadata`: a snapshot's self-description (Flink's checkpoint Metadata), JSON. */
export interface CheckpointMetadataJson {
  readonly version: 1;
  readonly jobId: JobID;
  readonly checkpointId: number;
  readonly timestamp: number;
  readonly snapshotType: SnapshotType;
  readonly operators: readonly OperatorStateMetadata[];
}

/** Where a task writes the state of a snapshot (Flink's CheckpointStreamFactory). */
export interface CheckpointStreamFactory {
  /**
   * Persists one piece of state: inline below the memory threshold (or without a directory),
   * otherwise a file in the snapshot's directory written under a temporary name and renamed when
   * complete. The handle's path is relative to that directory.
   */
  write(bytes: Uint8Array, nameHint: string): Promise<StreamStateHandle>;
}

/** One snapshot's location on the JobMaster side (Flink's CheckpointStorageLocation). */
export interface CheckpointStorageLocation {
  readonly checkpointId: number;
  /** Absolute directory of the snapshot (`<dir>/<jobId>/chk-<n>`, or a savepoint directory); null inline. */
  readonly directory: string | null;
  /**
   * Writes `_metadata` under a temporary name and renames it, so a crash never leaves a metadata
   * file that points at missing data. Returns the external pointer (the directory, or an in-memory
   * pointer for inline storage).
   */
  finalize(metadata: CheckpointMetadataJson): Promise<string>;
  /** Deletes what was written for this snapshot (a failed, subsumed or discarded checkpoint). */
  dispose(): Promise<void>;
}

/** A completed snapshot found by its pointer. */
export interface CompletedCheckpointStorageLocation {
  readonly metadata: CheckpointMetadataJson;
  readonly externalPointer: string;
  /** Directory relative handles resolve against; null for inline state. */
  readonly baseDirectory: string | null;
}

/**
 * Where snapshots live (Flink's CheckpointStorage): a file system directory
 * (`execution.checkpointing.dir`), or inline in memory when none is configured.
 */
export interface CheckpointStorage {
  initializeLocationForCheckpoint(jobId: JobID, checkpointId: number): Promise<CheckpointStorageLocation>;
  /**
   * @param targetDirectory the savepoint's parent directory, or null for the configured default;
   *   rejects with a clear error when there is neither
   */
  initializeLocationForSavepoint(
    jobId: JobID,
    checkpointId: number,
    targetDirectory: string | null,
  ): Promise<CheckpointStorageLocation>;
  /** The task-side writer for a snapshot whose location is `targetLocation` (CheckpointOptions). */
  createStreamFactory(targetLocation: string | null): CheckpointStreamFactory;
  /** Reads `_metadata` at a pointer (a snapshot directory or its `_metadata` file). */
  resolveCheckpoint(pointer: string): Promise<CompletedCheckpointStorageLocation>;
  readState(handle: StreamStateHandle, baseDirectory: string | null): Promise<Uint8Array>;
  /** Deletes a completed snapshot (savepoint disposal, subsumed checkpoints). */
  disposeSnapshot(pointer: string): Promise<void>;
  hasDefaultSavepointLocation(): boolean;
}
