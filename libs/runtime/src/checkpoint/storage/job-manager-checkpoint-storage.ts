import { IllegalArgumentError, IllegalStateError } from '../../core/errors.js';
import { checkpointMetadataToText, parseCheckpointMetadata } from './checkpoint-metadata-json.js';
import { InvalidSnapshotError, NoSavepointDirectoryError } from './checkpoint-storage-errors.js';
import {
  DEFAULT_MAX_INLINE_STATE_SIZE_BYTES,
  DEFAULT_MEMORY_THRESHOLD_BYTES,
  FsCheckpointStreamFactory,
  MemoryCheckpointStreamFactory,
  readStreamState,
} from './checkpoint-stream-factories.js';
import {
  CHECKPOINT_DIR_PREFIX,
  JOB_MANAGER_POINTER_PREFIX,
  checkMemoryThreshold,
} from './file-system-checkpoint-storage.js';
import {
  createSavepointLocation,
  disposeSnapshotDirectory,
  resolveSnapshotDirectory,
} from './snapshot-directory.js';
import { LOCAL_FILE_SYSTEM, toAbsoluteLocalPath } from './storage-file-system.js';

import type { JobID } from '../../core/ids.js';
import type { StreamStateHandle } from '../../state/state-handles.js';
import type {
  CheckpointMetadataJson,
  CheckpointStorage,
  CheckpointStorageLocation,
  CheckpointStreamFactory,
  CompletedCheckpointStorageLocation,
} from './checkpoint-storage.js';
import type { StorageFileSystem } from './storage-file-system.js';

/** What JobManagerCheckpointStorage is built from. */
export interface JobManagerCheckpointStorageOptions {
  /** `execution.checkpointing.savepoint-dir`: default parent of savepoints. Default: none. */
  readonly savepointDirectory?: string | null;
  /** Largest piece of inline checkpoint state in bytes. Default 5 MiB (Flink's default). */
  readonly maxStateSizeBytes?: number;
  /** `state.storage.fs.memory-threshold` for savepoint files. Default 20 KiB, max 1 MiB. */
  readonly memoryThresholdBytes?: number;
  /** The file operations savepoints use. Default: the local file system. */
  readonly fileSystem?: StorageFileSystem;
}

/** The in-memory pointer of a checkpoint: `jobmanager://<jobId>/chk-<n>`. */
export function jobManagerCheckpointPointer(jobId: JobID, checkpointId: number): string {
  return `${JOB_MANAGER_POINTER_PREFIX}${jobId}/${CHECKPOINT_DIR_PREFIX}${checkpointId}`;
}

/**
 * Checkpoints kept in the JobManager's memory (Flink's JobManagerCheckpointStorage), used when no
 * checkpoint directory is configured: all state inline (at most 5 MiB per piece), `_metadata`
 * held in this object under `jobmanager://<jobId>/chk-<n>`, so checkpoints do not outlive the
 * process. Savepoints still need a directory and are written as FileSystemCheckpointStorage does.
 */
export class JobManagerCheckpointStorage implements CheckpointStorage {
  readonly savepointDirectory: string | null;
  readonly maxStateSizeBytes: number;
  private readonly memoryThresholdBytes: number;
  private readonly fileSystem: StorageFileSystem;
  /** Serialized `_metadata` of completed checkpoints by pointer: a copy no caller can change. */
  private readonly completed = new Map<string, string>();

  constructor(options: JobManagerCheckpointStorageOptions = {}) {
    const savepointDirectory = options.savepointDirectory ?? null;
    this.savepointDirectory =
      savepointDirectory === null ? null : toAbsoluteLocalPath(savepointDirectory, 'savepoint directory');
    this.maxStateSizeBytes = options.maxStateSizeBytes ?? DEFAULT_MAX_INLINE_STATE_SIZE_BYTES;
    if (!Number.isSafeInteger(this.maxStateSizeBytes) || this.maxStateSizeBytes < 0) {
      throw new IllegalArgumentError(
        `The maximum inline state size must be a whole number of bytes >= 0, got ${this.maxStateSizeBytes}.`,
      );
    }
    this.memoryThresholdBytes = checkMemoryThreshold(
      options.memoryThresholdBytes ?? DEFAULT_MEMORY_THRESHOLD_BYTES,
    );
    this.fileSystem = options.fileSystem ?? LOCAL_FILE_SYSTEM;
  }

  initializeLocationForCheckpoint(jobId: JobID, checkpointId: number): Promise<CheckpointStorageLocation> {
    return Promise.resolve(
      new InMemorySnapshotLocation(
        checkpointId,
        jobManagerCheckpointPointer(jobId, checkpointId),
        this.completed,
      ),
    );
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

  /** Inline for checkpoints (null target); files by threshold in a savepoint's directory. */
  createStreamFactory(targetLocation: string | null): CheckpointStreamFactory {
    if (targetLocation === null) return new MemoryCheckpointStreamFactory(this.maxStateSizeBytes);
    return new FsCheckpointStreamFactory(
      toAbsoluteLocalPath(targetLocation, 'snapshot directory'),
      this.memoryThresholdBytes,
      this.fileSystem,
    );
  }

  async resolveCheckpoint(pointer: string): Promise<CompletedCheckpointStorageLocation> {
    if (!pointer.startsWith(JOB_MANAGER_POINTER_PREFIX))
      return resolveSnapshotDirectory(this.fileSystem, pointer);
    const text = this.completed.get(pointer);
    if (text === undefined) throw unknownPointer(pointer);
    return {
      metadata: parseCheckpointMetadata(text, pointer),
      externalPointer: pointer,
      baseDirectory: null,
    };
  }

  readState(handle: StreamStateHandle, baseDirectory: string | null): Promise<Uint8Array> {
    return readStreamState(this.fileSystem, handle, baseDirectory);
  }

  async disposeSnapshot(pointer: string): Promise<void> {
    if (!pointer.startsWith(JOB_MANAGER_POINTER_PREFIX)) {
      await disposeSnapshotDirectory(this.fileSystem, pointer);
      return;
    }
    if (!this.completed.delete(pointer)) throw unknownPointer(pointer);
  }

  hasDefaultSavepointLocation(): boolean {
    return this.savepointDirectory !== null;
  }
}

function unknownPointer(pointer: string): InvalidSnapshotError {
  return new InvalidSnapshotError(
    pointer,
    `${pointer} is not a checkpoint or savepoint: no such checkpoint in this JobManager's memory ` +
      '(in-memory checkpoints do not outlive the process; set execution.checkpointing.dir to keep them).',
  );
}

/** A checkpoint whose `_metadata` is kept in memory under its pointer. */
class InMemorySnapshotLocation implements CheckpointStorageLocation {
  readonly directory = null;
  private disposed = false;

  constructor(
    readonly checkpointId: number,
    private readonly pointer: string,
    private readonly completed: Map<string, string>,
  ) {}

  finalize(metadata: CheckpointMetadataJson): Promise<string> {
    if (this.disposed) {
      return Promise.reject(
        new IllegalStateError(`Cannot finalize checkpoint ${this.checkpointId}: its location was disposed.`),
      );
    }
    if (metadata.checkpointId !== this.checkpointId) {
      return Promise.reject(
        new IllegalArgumentError(
          `Metadata of checkpoint ${metadata.checkpointId} given to the location of checkpoint ${this.checkpointId}.`,
        ),
      );
    }
    try {
      this.completed.set(this.pointer, checkpointMetadataToText(metadata));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new IllegalStateError(String(error)));
    }
    return Promise.resolve(this.pointer);
  }

  dispose(): Promise<void> {
    this.disposed = true;
    this.completed.delete(this.pointer);
    return Promise.resolve();
  }
}
