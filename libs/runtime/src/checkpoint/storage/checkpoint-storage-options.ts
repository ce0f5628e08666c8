import { ConfigOptions } from '../../core/configuration.js';
import { IllegalArgumentError } from '../../core/errors.js';
import { MemorySize } from '../../core/memory-size.js';
import { DEFAULT_MEMORY_THRESHOLD_BYTES } from './checkpoint-stream-factories.js';
import { FileSystemCheckpointStorage, checkMemoryThreshold } from './file-system-checkpoint-storage.js';
import { JobManagerCheckpointStorage } from './job-manager-checkpoint-storage.js';

import type { Configuration } from '../../core/configuration.js';
import type { CheckpointStorage } from './checkpoint-storage.js';
import type { StorageFileSystem } from './storage-file-system.js';

/**
 * `execution.checkpointing.dir` (formerly `state.checkpoints.dir`): the base directory of
 * checkpoints; setting it selects FileSystemCheckpointStorage. Default: none (checkpoints are kept
 * in the JobManager's memory).
 */
export const CHECKPOINTS_DIRECTORY = ConfigOptions.key('execution.checkpointing.dir')
  .stringType()
  .noDefaultValue()
  .withFallbackKeys('state.checkpoints.dir')
  .withDescription(
    'The directory checkpoint data files and metadata are stored in (a local path or file:// URI). ' +
      'When unset, checkpoints are kept in the JobManager memory.',
  );

/**
 * `execution.checkpointing.savepoint-dir` (formerly `state.savepoints.dir`): the default parent
 * directory of savepoints. Default: none (a savepoint then needs a target directory).
 */
export const SAVEPOINT_DIRECTORY = ConfigOptions.key('execution.checkpointing.savepoint-dir')
  .stringType()
  .noDefaultValue()
  .withFallbackKeys('state.savepoints.dir')
  .withDescription('The default directory savepoints are written to when no target directory is given.');

/**
 * `execution.checkpointing.num-retained` (formerly `state.checkpoints.num-retained`): how many
 * completed checkpoints are kept; older ones are subsumed and deleted. Default 1.
 */
export const MAX_RETAINED_CHECKPOINTS = ConfigOptions.key('execution.checkpointing.num-retained')
  .intType()
  .defaultValue(1)
  .withFallbackKeys('state.checkpoints.num-retained')
  .withDescription('The maximum number of completed checkpoints to retain.');

/**
 * `state.storage.fs.memory-threshold`: state pieces up to this size are stored inline in
 * `_metadata` instead of in files. Default 20 kb, at most 1 mb.
 */
export const FS_SMALL_FILE_THRESHOLD = ConfigOptions.key('state.storage.fs.memory-threshold')
  .memoryType()
  .defaultValue(MemorySize.ofBytes(DEFAULT_MEMORY_THRESHOLD_BYTES))
  .withDescription(
    'The minimum size of state data files. State chunks up to this size are stored inline in the ' +
      'checkpoint metadata file. The maximum memory threshold is 1 mb.',
  );

/** The checkpoint storage options, read and validated once. */
export interface CompiledCheckpointStorageOptions {
  /** Null when unset (or blank): JobManagerCheckpointStorage. */
  readonly checkpointDirectory: string | null;
  readonly savepointDirectory: string | null;
  readonly maxRetainedCheckpoints: number;
  readonly memoryThresholdBytes: number;
}

/** Reads the checkpoint storage options from `configuration`, failing on invalid values. */
export function compileCheckpointStorageOptions(
  configuration: Configuration,
): CompiledCheckpointStorageOptions {
  const maxRetainedCheckpoints = configuration.get(MAX_RETAINED_CHECKPOINTS);
  if (maxRetainedCheckpoints < 1) {
    throw new IllegalArgumentError(
      `${MAX_RETAINED_CHECKPOINTS.key} must be at least 1, got ${maxRetainedCheckpoints}.`,
    );
  }
  return {
    checkpointDirectory: nonBlank(configuration.get(CHECKPOINTS_DIRECTORY)),
    savepointDirectory: nonBlank(configuration.get(SAVEPOINT_DIRECTORY)),
    maxRetainedCheckpoints,
    memoryThresholdBytes: checkMemoryThreshold(configuration.get(FS_SMALL_FILE_THRESHOLD).getBytes()),
  };
}

function nonBlank(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

/**
 * The checkpoint storage the configuration selects (Flink's CheckpointStorageLoader):
 * FileSystemCheckpointStorage when `execution.checkpointing.dir` is set, otherwise
 * JobManagerCheckpointStorage. `fileSystem` is for tests.
 */
export function createCheckpointStorage(
  configuration: Configuration,
  fileSystem?: StorageFileSystem,
): CheckpointStorage {
  const options = compileCheckpointStorageOptions(configuration);
  const common = {
    savepointDirectory: options.savepointDirectory,
    memoryThresholdBytes: options.memoryThresholdBytes,
    ...(fileSystem !== undefined ? { fileSystem } : {}),
  };
  return options.checkpointDirectory !== null
    ? new FileSystemCheckpointStorage({ checkpointDirectory: options.checkpointDirectory, ...common })
    : new JobManagerCheckpointStorage(common);
}
