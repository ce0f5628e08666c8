import path from 'node:path';

import { IllegalArgumentError } from '../../core/errors.js';
import { InvalidSnapshotError, NoSavepointDirectoryError } from './checkpoint-storage-errors.js';
import {
  DEFAULT_MAX_INLINE_STATE_SIZE_BYTES,
  DEFAULT_MEMORY_THRESHOLD_BYTES,
  FsCheckpointStreamFactory,
  MAX_MEMORY_THRESHOLD_BYTES,
  MemoryCheckpointStreamFactory,
  readStreamState,
} from './checkpoint-stream-factories.js';
import {
  DirectorySnapshotLocation,
  createSavepointLocation,
  disposeSnapshotDirectory,
  resolveSnapshotDirectory,
} from './snapshot-directory.js';
import { LOCAL_FILE_SYSTEM, toAbsoluteLocalPath } from './storage-file-system.js';

import type { JobID } from '../../core/ids.js';
import type { StreamStateHandle } from '../../state/state-handles.js';
import type {
  CheckpointStorage,
  CheckpointStorageLocation,
  CheckpointStreamFactory,
  CompletedCheckpointStorageLocation,
} from './checkpoint-storage.js';
import type { StorageFileSystem } from './storage-file-system.js';

/** Prefix of a checkpoint's exclusive directory: `<dir>/<jobId>/chk-<n>/`. */
export const CHECKPOINT_DIR_PREFIX = 'chk-';
/** Files several checkpoints may reference (incremental state): `<dir>/<jobId>/shared/`. */
export const CHECKPOINT_SHARED_STATE_DIR = 'shared';
/** Files the JobManager must never delete: `<dir>/<jobId>/taskowned/`. */
export const CHECKPOINT_TASK_OWNED_STATE_DIR = 'taskowned';
/** Scheme of JobManagerCheckpointStorage's in-memory pointers. */
export const JOB_MANAGER_POINTER_PREFIX = 'jobmanager://';

/** What FileSystemCheckpointStorage is built from; compiled from configuration by `createCheckpointStorage`. */
export interface FileSystemCheckpointStorageOptions {
  /** `execution.checkpointing.dir`: base directory of checkpoints; a local path or `file:` URI. */
  readonly checkpointDirectory: string;
  /** `execution.checkpointing.savepoint-dir`: default parent of savepoints. Default: none. */
  readonly savepointDirectory?: string | null;
  /** `state.storage.fs.memory-threshold` in bytes: state up to this size is inlined. Default 20 KiB, max 1 MiB. */
  readonly memoryThresholdBytes?: number;
  /** The file operations to use. Default: the local file system. */
  readonly fileSystem?: StorageFileSystem;
}

/** Checks `state.storage.fs.memory-threshold` (0 to 1 MiB), as Flink's FsStateBackend does. */
export function checkMemoryThreshold(bytes: number): number {
  if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > MAX_MEMORY_THRESHOLD_BYTES) {
    throw new IllegalArgumentError(
      `state.storage.fs.memory-threshold must be between 0 and ${MAX_MEMORY_THRESHOLD_BYTES} bytes (1 mb), got ${bytes}.`,
    );
  }
  return bytes;
}

/**
 * Snapshots in a file system directory (Flink's FileSystemCheckpointStorage). A checkpoint goes to
 * `<dir>/<jobId>/chk-<n>/` (next to `shared/` and `taskowned/`), a savepoint to
 * `<target>/savepoint-<jobId[0..6]>-<random>/`. Each holds `_metadata` plus the data files above the
 * memory threshold, named relative to it, so a savepoint directory can be moved as a whole. Every
 * file is written under a temporary name and renamed, data files before `_metadata`.
 */
export class FileSystemCheckpointStorage implements CheckpointStorage {
  /** The absolute checkpoint base directory. */
  readonly checkpointDirectory: string;
  /** The absolute default savepoint directory, or null. */
  readonly savepointDirectory: string | null;
  readonly memoryThresholdBytes: number;
  private readonly fileSystem: StorageFileSystem;

  constructor(options: FileSystemCheckpointStorageOptions) {
    this.checkpointDirectory = toAbsoluteLocalPath(options.checkpointDirectory, 'checkpoint directory');
    const savepointDirectory = options.savepointDirectory ?? null;
    this.savepointDirectory =
      savepointDirectory === null ? null : toAbsoluteLocalPath(savepointDirectory, 'savepoint directory');
    this.memoryThresholdBytes = checkMemoryThreshold(
      options.memoryThresholdBytes ?? DEFAULT_MEMORY_THRESHOLD_BYTES,
    );
    this.fileSystem = options.fileSystem ?? LOCAL_FILE_SYSTEM;
  }

  /** `<dir>/<jobId>`: the job's checkpoint directory. */
  getCheckpointsDirectoryForJob(jobId: JobID): string {
    return path.join(this.checkpointDirectory, jobId);
  }

  async initializeLocationForCheckpoint(
    jobId: JobID,
    checkpointId: number,
  ): Promise<CheckpointStorageLocation> {
    if (!Number.isSafeInteger(checkpointId) || checkpointId < 0) {
      throw new IllegalArgumentError(`A checkpoint id must be a whole number >= 0, got ${checkpointId}.`);
    }
    const jobDirectory = this.getCheckpointsDirectoryForJob(jobId);
    await this.fileSystem.mkdir(path.join(jobDirectory, CHECKPOINT_SHARED_STATE_DIR), { recursive: true });
    await this.fileSystem.mkdir(path.join(jobDirectory, CHECKPOINT_TASK_OWNED_STATE_DIR), {
      recursive: true,
    });
    const directory = path.join(jobDirectory, `${CHECKPOINT_DIR_PREFIX}${checkpointId}`);
    await this.fileSystem.mkdir(directory, { recursive: true });
    return new DirectorySnapshotLocation(checkpointId, directory, this.fileSystem);
  }

  async initializeLocationForSavepoint(
    jobId: JobID,
    checkpointId: number,
    targetDirectory: string | null,
  ): Promise<CheckpointStorageLocation> {
    const parent = targetDirectory ?? this.savepointDirectory;
    if (parent === null) throw new NoSavepointDirectoryError();
    return createSavepointLocation(this.fileSystem, jobId, checkpointId, parent);
  }

  /** Files by threshold into `targetLocation`; a null target keeps state inline (5 MB per piece). */
  createStreamFactory(targetLocation: string | null): CheckpointStreamFactory {
    if (targetLocation === null)
      return new MemoryCheckpointStreamFactory(DEFAULT_MAX_INLINE_STATE_SIZE_BYTES);
    return new FsCheckpointStreamFactory(
      toAbsoluteLocalPath(targetLocation, 'snapshot directory'),
      this.memoryThresholdBytes,
      this.fileSystem,
    );
  }

  async resolveCheckpoint(pointer: string): Promise<CompletedCheckpointStorageLocation> {
    rejectInMemoryPointer(pointer);
    return resolveSnapshotDirectory(this.fileSystem, pointer);
  }

  readState(handle: StreamStateHandle, baseDirectory: string | null): Promise<Uint8Array> {
    return readStreamState(this.fileSystem, handle, baseDirectory);
  }

  async disposeSnapshot(pointer: string): Promise<void> {
    rejectInMemoryPointer(pointer);
    await disposeSnapshotDirectory(this.fileSystem, pointer);
  }

  hasDefaultSavepointLocation(): boolean {
    return this.savepointDirectory !== null;
  }
}

function rejectInMemoryPointer(pointer: string): void {
  if (pointer.startsWith(JOB_MANAGER_POINTER_PREFIX)) {
    throw new InvalidSnapshotError(
      pointer,
      `${pointer} is a checkpoint kept in a JobManager's memory, which file system checkpoint storage cannot read.`,
    );
  }
}
