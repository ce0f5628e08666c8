import { EddyError } from '../../core/errors.js';

/**
 * A pointer does not lead to a usable checkpoint or savepoint: the path is missing, has no
 * `_metadata`, or its `_metadata` is not valid. `pointer` is the path (or in-memory pointer) given.
 */
export class InvalidSnapshotError extends EddyError {
  constructor(
    readonly pointer: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A state handle refers to a file that cannot be read (moved, deleted, or truncated). */
export class MissingStateFileError extends EddyError {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A savepoint was requested with no target directory and no default savepoint directory. */
export class NoSavepointDirectoryError extends EddyError {
  constructor() {
    super(
      'No savepoint directory configured: set execution.checkpointing.savepoint-dir or give a target directory.',
    );
  }
}

/**
 * A piece of state is too large to be kept in memory (JobManagerCheckpointStorage), as Flink's
 * MemCheckpointStreamFactory refuses it.
 */
export class StateSizeLimitExceededError extends EddyError {
  constructor(
    readonly size: number,
    readonly maxSize: number,
  ) {
    super(
      `Size of the state is larger than the maximum permitted memory-backed state. Size=${size}, ` +
        `maxSize=${maxSize}. Consider using a different checkpoint storage, like the ` +
        'FileSystemCheckpointStorage (set execution.checkpointing.dir).',
    );
  }
}
