import { randomUUID } from 'node:crypto';
import path from 'node:path';

import { IllegalArgumentError, IllegalStateError } from '../../core/errors.js';
import { MissingStateFileError, StateSizeLimitExceededError } from './checkpoint-storage-errors.js';
import { isContainedRelativePath, isNotFound, writeFileAtomically } from './storage-file-system.js';

import type { StreamStateHandle } from '../../state/state-handles.js';
import type { CheckpointStreamFactory } from './checkpoint-storage.js';
import type { StorageFileSystem } from './storage-file-system.js';

/** Default of `state.storage.fs.memory-threshold`: state up to this size is inlined (Flink: 20 kb). */
export const DEFAULT_MEMORY_THRESHOLD_BYTES = 20 * 1024;
/** The largest allowed `state.storage.fs.memory-threshold` (Flink: 1 mb). */
export const MAX_MEMORY_THRESHOLD_BYTES = 1024 * 1024;
/** JobManagerCheckpointStorage's limit on one piece of inline state (Flink: 5 MB). */
export const DEFAULT_MAX_INLINE_STATE_SIZE_BYTES = 5 * 1024 * 1024;

/** An inline handle holding `bytes` (base64), as Flink's ByteStreamStateHandle. */
export function inlineStateHandle(bytes: Uint8Array): StreamStateHandle {
  return { type: 'bytes', data: Buffer.from(bytes).toString('base64'), size: bytes.length };
}

/**
 * Keeps every piece of state inline, refusing pieces above `maxStateSize` (Flink's
 * MemCheckpointStreamFactory, used when no checkpoint directory is configured).
 */
export class MemoryCheckpointStreamFactory implements CheckpointStreamFactory {
  constructor(private readonly maxStateSize: number = DEFAULT_MAX_INLINE_STATE_SIZE_BYTES) {}

  write(bytes: Uint8Array, _nameHint: string): Promise<StreamStateHandle> {
    if (bytes.length > this.maxStateSize) {
      return Promise.reject(new StateSizeLimitExceededError(bytes.length, this.maxStateSize));
    }
    return Promise.resolve(inlineStateHandle(bytes));
  }
}

/**
 * Writes state into a snapshot directory (Flink's FsCheckpointStreamFactory): pieces of at most
 * `memoryThreshold` bytes stay inline (as Flink: `size <= threshold`), larger ones become a file
 * with a unique name, published by an atomic rename. The handle's path is relative to `directory`.
 */
export class FsCheckpointStreamFactory implements CheckpointStreamFactory {
  constructor(
    /** The snapshot directory (absolute). */
    readonly directory: string,
    private readonly memoryThreshold: number,
    private readonly fileSystem: StorageFileSystem,
  ) {
    if (!path.isAbsolute(directory)) {
      throw new IllegalArgumentError(`A snapshot directory must be absolute, got '${directory}'.`);
    }
  }

  async write(bytes: Uint8Array, nameHint: string): Promise<StreamStateHandle> {
    if (bytes.length <= this.memoryThreshold) return inlineStateHandle(bytes);
    const name = `${sanitizeNameHint(nameHint)}-${randomUUID()}`;
    await writeFileAtomically(this.fileSystem, this.directory, name, bytes);
    return { type: 'file', relativePath: name, size: bytes.length };
  }
}

/** A name hint reduced to safe file name characters (never empty, never hidden, at most 64 chars). */
function sanitizeNameHint(nameHint: string): string {
  const cleaned = nameHint
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^_+/, '')
    .slice(0, 64);
  return cleaned === '' ? 'state' : cleaned;
}

/**
 * The bytes behind a handle: inline data decoded, or the file at `relativePath` under
 * `baseDirectory` (the directory of the snapshot's `_metadata`, wherever it is now).
 */
export async function readStreamState(
  fileSystem: StorageFileSystem,
  handle: StreamStateHandle,
  baseDirectory: string | null,
): Promise<Uint8Array> {
  if (handle.type === 'bytes') {
    const bytes = Buffer.from(handle.data, 'base64');
    if (bytes.length !== handle.size) {
      throw new IllegalStateError(
        `Inline state has ${bytes.length} bytes but its handle says ${handle.size}.`,
      );
    }
    return bytes;
  }
  if (baseDirectory === null) {
    throw new IllegalStateError(
      `Cannot read state file '${handle.relativePath}': the snapshot has no directory to resolve it against.`,
    );
  }
  if (!isContainedRelativePath(handle.relativePath)) {
    throw new IllegalArgumentError(
      `State file path '${handle.relativePath}' is not a path inside the snapshot directory ${baseDirectory}.`,
    );
  }
  const file = path.resolve(baseDirectory, handle.relativePath);
  let bytes: Buffer;
  try {
    bytes = await fileSystem.readFile(file);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    throw new MissingStateFileError(
      file,
      `State file ${file} does not exist: a snapshot's data files must stay in the directory of its ` +
        '_metadata (was a file deleted or only part of the directory moved?).',
      { cause: error },
    );
  }
  if (bytes.length !== handle.size) {
    throw new MissingStateFileError(
      file,
      `State file ${file} has ${bytes.length} bytes, but the snapshot recorded ${handle.size}: it is damaged.`,
    );
  }
  return bytes;
}
