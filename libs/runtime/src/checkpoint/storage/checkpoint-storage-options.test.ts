import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { Configuration } from '../../core/configuration.js';
import {
  CHECKPOINTS_DIRECTORY,
  FS_SMALL_FILE_THRESHOLD,
  MAX_RETAINED_CHECKPOINTS,
  SAVEPOINT_DIRECTORY,
  compileCheckpointStorageOptions,
  createCheckpointStorage,
} from './checkpoint-storage-options.js';
import { FileSystemCheckpointStorage } from './file-system-checkpoint-storage.js';
import { JobManagerCheckpointStorage } from './job-manager-checkpoint-storage.js';

describe('checkpoint storage options', () => {
  it('has Flink defaults', () => {
    expect(CHECKPOINTS_DIRECTORY.defaultValue).toBeUndefined();
    expect(SAVEPOINT_DIRECTORY.defaultValue).toBeUndefined();
    expect(MAX_RETAINED_CHECKPOINTS.defaultValue).toBe(1);
    expect(FS_SMALL_FILE_THRESHOLD.defaultValue.getBytes()).toBe(20 * 1024);
    expect(compileCheckpointStorageOptions(new Configuration())).toEqual({
      checkpointDirectory: null,
      savepointDirectory: null,
      maxRetainedCheckpoints: 1,
      memoryThresholdBytes: 20 * 1024,
    });
  });

  it('reads the 1.x keys as fallbacks, the 2.x keys first', () => {
    const legacy = Configuration.fromMap({
      'state.checkpoints.dir': '/old/checkpoints',
      'state.savepoints.dir': '/old/savepoints',
      'state.checkpoints.num-retained': 3,
    });
    expect(compileCheckpointStorageOptions(legacy)).toMatchObject({
      checkpointDirectory: '/old/checkpoints',
      savepointDirectory: '/old/savepoints',
      maxRetainedCheckpoints: 3,
    });
    legacy.setString('execution.checkpointing.dir', '/new/checkpoints');
    legacy.setString('execution.checkpointing.savepoint-dir', '/new/savepoints');
    legacy.setValue('execution.checkpointing.num-retained', 5);
    expect(compileCheckpointStorageOptions(legacy)).toMatchObject({
      checkpointDirectory: '/new/checkpoints',
      savepointDirectory: '/new/savepoints',
      maxRetainedCheckpoints: 5,
    });
  });

  it('validates the memory threshold and the number of retained checkpoints', () => {
    const threshold = (value: string) =>
      compileCheckpointStorageOptions(Configuration.fromMap({ 'state.storage.fs.memory-threshold': value }));
    expect(threshold('1kb').memoryThresholdBytes).toBe(1024);
    expect(threshold('1mb').memoryThresholdBytes).toBe(1024 * 1024);
    expect(() => threshold('2mb')).toThrow(/memory-threshold must be between 0 and 1048576/);
    expect(() => threshold('lots')).toThrow(/state\.storage\.fs\.memory-threshold/);
    expect(() =>
      compileCheckpointStorageOptions(Configuration.fromMap({ 'execution.checkpointing.num-retained': 0 })),
    ).toThrow(/num-retained must be at least 1/);
  });

  it('chooses file system storage when a checkpoint directory is set, else JobManager storage', () => {
    const fileSystem = createCheckpointStorage(
      Configuration.fromMap({
        'execution.checkpointing.dir': '/tmp/eddy-checkpoints',
        'execution.checkpointing.savepoint-dir': 'file:///tmp/eddy-savepoints',
        'state.storage.fs.memory-threshold': '4kb',
      }),
    );
    if (!(fileSystem instanceof FileSystemCheckpointStorage)) throw new Error('expected file system storage');
    const fs = fileSystem;
    expect(fs.checkpointDirectory).toBe(path.resolve('/tmp/eddy-checkpoints'));
    expect(fs.savepointDirectory).toBe(path.resolve('/tmp/eddy-savepoints'));
    expect(fs.memoryThresholdBytes).toBe(4096);

    const inMemory = createCheckpointStorage(Configuration.fromMap({ 'state.checkpoints.dir': '  ' }));
    expect(inMemory).toBeInstanceOf(JobManagerCheckpointStorage);
    expect(inMemory.hasDefaultSavepointLocation()).toBe(false);
    const withSavepoints = createCheckpointStorage(
      Configuration.fromMap({ 'state.savepoints.dir': '/tmp/sp' }),
    );
    expect(withSavepoints).toBeInstanceOf(JobManagerCheckpointStorage);
    expect(withSavepoints.hasDefaultSavepointLocation()).toBe(true);
  });
});
