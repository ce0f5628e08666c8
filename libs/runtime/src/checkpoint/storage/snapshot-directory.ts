import path from 'node:path';

import { IllegalArgumentError, IllegalStateError } from '../../core/errors.js';
import { parseCheckpointMetadata, serializeCheckpointMetadata } from './checkpoint-metadata-json.js';
import { InvalidSnapshotError } from './checkpoint-storage-errors.js';
import {
  METADATA_FILE_NAME,
  entryKind,
  randomHex,
  toAbsoluteLocalPath,
  writeFileAtomically,
} from './storage-file-system.js';

import type { JobID } from '../../core/ids.js';
import type {
  CheckpointMetadataJson,
  CheckpointStorageLocation,
  CompletedCheckpointStorageLocation,
} from './checkpoint-storage.js';
import type { StorageFileSystem } from './storage-file-system.js';

/** How often a savepoint directory name is drawn again when it already exists (as Flink). */
const SAVEPOINT_DIRECTORY_ATTEMPTS = 10;

/**
 * A snapshot written to a directory of its own (Flink's FsCheckpointStorageLocation): data files
 * first, then `_metadata`, each published by an atomic rename, so `_metadata` only ever appears
 * once all the files it names are in place.
 */
export class DirectorySnapshotLocation implements CheckpointStorageLocation {
  private disposed = false;

  constructor(
    readonly checkpointId: number,
    readonly directory: string,
    private readonly fileSystem: StorageFileSystem,
  ) {}

  async finalize(metadata: CheckpointMetadataJson): Promise<string> {
    if (this.disposed) {
      throw new IllegalStateError(
        `Cannot finalize checkpoint ${this.checkpointId}: its location was disposed.`,
      );
    }
    if (metadata.checkpointId !== this.checkpointId) {
      throw new IllegalArgumentError(
        `Metadata of checkpoint ${metadata.checkpointId} given to the location of checkpoint ${this.checkpointId}.`,
      );
    }
    // Serialize before touching the disk: a failure here leaves nothing behind.
    const bytes = serializeCheckpointMetadata(metadata);
    await writeFileAtomically(this.fileSystem, this.directory, METADATA_FILE_NAME, bytes, {
      exclusive: true,
    });
    return this.directory;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await this.fileSystem.rm(this.directory, { recursive: true, force: true });
  }
}

/**
 * Creates `<targetDirectory>/savepoint-<first 6 chars of the job id>-<12 random hex>/` (Flink's
 * layout) and returns its location. The parent is created when missing.
 */
export async function createSavepointLocation(
  fileSystem: StorageFileSystem,
  jobId: JobID,
  checkpointId: number,
  targetDirectory: string,
): Promise<DirectorySnapshotLocation> {
  const parent = toAbsoluteLocalPath(targetDirectory, 'savepoint target directory');
  await fileSystem.mkdir(parent, { recursive: true });
  for (let attempt = 0; attempt < SAVEPOINT_DIRECTORY_ATTEMPTS; attempt++) {
    const directory = path.join(parent, `savepoint-${jobId.slice(0, 6)}-${randomHex(6)}`);
    try {
      await fileSystem.mkdir(directory);
      return new DirectorySnapshotLocation(checkpointId, directory, fileSystem);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new IllegalStateError(`Could not create a unique savepoint directory in ${parent}.`);
}

/**
 * The snapshot directory a pointer names: the pointer itself when it is a directory, its parent
 * when it is a `_metadata` file. Refuses anything else, and directories without `_metadata`.
 */
export async function findSnapshotDirectory(fileSystem: StorageFileSystem, pointer: string): Promise<string> {
  let resolved: string;
  try {
    resolved = toAbsoluteLocalPath(pointer, 'checkpoint/savepoint pointer');
  } catch (error) {
    throw new InvalidSnapshotError(pointer, (error as Error).message, { cause: error });
  }
  const kind = await entryKind(fileSystem, resolved);
  if (kind === null) {
    throw new InvalidSnapshotError(
      pointer,
      `${resolved} is not a checkpoint or savepoint: it does not exist.`,
    );
  }
  let directory: string;
  if (kind === 'directory') {
    directory = resolved;
  } else if (kind === 'file' && path.basename(resolved) === METADATA_FILE_NAME) {
    directory = path.dirname(resolved);
  } else {
    throw new InvalidSnapshotError(
      pointer,
      `${resolved} is not a checkpoint or savepoint: expected a snapshot directory or its ${METADATA_FILE_NAME} file.`,
    );
  }
  if ((await entryKind(fileSystem, path.join(directory, METADATA_FILE_NAME))) !== 'file') {
    throw new InvalidSnapshotError(
      pointer,
      `${directory} is not a checkpoint or savepoint: no ${METADATA_FILE_NAME}.`,
    );
  }
  return directory;
}

/**
 * Reads and validates the `_metadata` of the snapshot at `pointer`. Relative state handles resolve
 * against the directory it is in now, so a moved savepoint still restores.
 */
export async function resolveSnapshotDirectory(
  fileSystem: StorageFileSystem,
  pointer: string,
): Promise<CompletedCheckpointStorageLocation> {
  const directory = await findSnapshotDirectory(fileSystem, pointer);
  const metadataPath = path.join(directory, METADATA_FILE_NAME);
  const text = await fileSystem.readFile(metadataPath, 'utf8');
  const metadata = parseCheckpointMetadata(text, metadataPath);
  return { metadata, externalPointer: directory, baseDirectory: directory };
}

/**
 * Deletes the completed snapshot at `pointer` (its whole directory). Refuses, deleting nothing, a
 * pointer that is not a snapshot directory or its `_metadata` file, and a directory whose
 * `_metadata` is not a valid one (so a mistyped path never deletes an unrelated directory).
 */
export async function disposeSnapshotDirectory(
  fileSystem: StorageFileSystem,
  pointer: string,
): Promise<void> {
  const { externalPointer } = await resolveSnapshotDirectory(fileSystem, pointer);
  await fileSystem.rm(externalPointer, { recursive: true, force: true });
}
