import { existsSync, readdirSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { JobID, OperatorID } from '../../core/ids.js';
import { OperatorStateDistributionMode } from '../../state/state-handles.js';
import { SnapshotType } from '../checkpoint-types.js';
import { NoSavepointDirectoryError, StateSizeLimitExceededError } from './checkpoint-storage-errors.js';
import { JobManagerCheckpointStorage } from './job-manager-checkpoint-storage.js';

import type { StreamStateHandle } from '../../state/state-handles.js';
import type { CheckpointMetadataJson } from './checkpoint-storage.js';

const JOB = JobID.fromHexString('0123456789abcdef0123456789abcdef');
const MiB = 1024 * 1024;

function metadataWith(checkpointId: number, stream: StreamStateHandle): CheckpointMetadataJson {
  return {
    version: 1,
    jobId: JOB,
    checkpointId,
    timestamp: 42,
    snapshotType: SnapshotType.CHECKPOINT,
    operators: [
      {
        operatorId: OperatorID.fromUid('source'),
        parallelism: 2,
        maxParallelism: 128,
        subtaskStates: {
          '1': {
            managedKeyedState: [],
            managedOperatorState: [
              { states: { offsets: { mode: OperatorStateDistributionMode.UNION, entries: 1 } }, stream },
            ],
          },
        },
      },
    ],
  };
}

let root: string;
beforeEach(async () => {
  root = await fsPromises.mkdtemp(path.join(os.tmpdir(), 'eddy-jm-storage-'));
});
afterEach(async () => {
  await fsPromises.rm(root, { recursive: true, force: true });
});

describe('JobManagerCheckpointStorage', () => {
  it('keeps checkpoints in memory under jobmanager://<jobId>/chk-<n> and reads them back', async () => {
    const storage = new JobManagerCheckpointStorage();
    const location = await storage.initializeLocationForCheckpoint(JOB, 3);
    expect(location.directory).toBeNull();

    const payload = new Uint8Array(MiB).fill(9);
    const handle = await storage.createStreamFactory(location.directory).write(payload, 'offsets');
    expect(handle.type).toBe('bytes');
    const metadata = metadataWith(3, handle);
    const pointer = await location.finalize(metadata);
    expect(pointer).toBe(`jobmanager://${JOB}/chk-3`);

    const resolved = await storage.resolveCheckpoint(pointer);
    expect(resolved).toEqual({ metadata, externalPointer: pointer, baseDirectory: null });
    const stream = resolved.metadata.operators[0]?.subtaskStates['1']?.managedOperatorState[0]?.stream;
    expect(
      Buffer.from(payload).equals(await storage.readState(stream ?? handle, resolved.baseDirectory)),
    ).toBe(true);
  });

  it('keeps its own copy of the metadata', async () => {
    const storage = new JobManagerCheckpointStorage();
    const location = await storage.initializeLocationForCheckpoint(JOB, 1);
    const handle = await storage.createStreamFactory(null).write(new Uint8Array([1]), 'x');
    const metadata = metadataWith(1, handle);
    const pointer = await location.finalize(metadata);
    (metadata.operators as unknown[]).length = 0;
    expect((await storage.resolveCheckpoint(pointer)).metadata.operators).toHaveLength(1);
  });

  it('limits each piece of state to 5 MB', async () => {
    const factory = new JobManagerCheckpointStorage().createStreamFactory(null);
    await expect(factory.write(new Uint8Array(5 * MiB), 'ok')).resolves.toMatchObject({ size: 5 * MiB });
    const failure = factory.write(new Uint8Array(5 * MiB + 1), 'too-big');
    await expect(failure).rejects.toThrow(StateSizeLimitExceededError);
    await expect(failure).rejects.toThrow(`Size=${5 * MiB + 1}, maxSize=${5 * MiB}`);

    const small = new JobManagerCheckpointStorage({ maxStateSizeBytes: 10 }).createStreamFactory(null);
    await expect(small.write(new Uint8Array(11), 'x')).rejects.toThrow(
      /maximum permitted memory-backed state/,
    );
  });

  it('forgets disposed checkpoints and explains unknown pointers', async () => {
    const storage = new JobManagerCheckpointStorage();
    const handle = await storage.createStreamFactory(null).write(new Uint8Array([1, 2]), 'x');
    const first = await storage.initializeLocationForCheckpoint(JOB, 1);
    const firstPointer = await first.finalize(metadataWith(1, handle));
    const second = await storage.initializeLocationForCheckpoint(JOB, 2);
    const secondPointer = await second.finalize(metadataWith(2, handle));

    await first.dispose();
    await expect(storage.resolveCheckpoint(firstPointer)).rejects.toThrow(
      `${firstPointer} is not a checkpoint or savepoint`,
    );
    await storage.disposeSnapshot(secondPointer);
    await expect(storage.resolveCheckpoint(secondPointer)).rejects.toThrow(/execution\.checkpointing\.dir/);
    await expect(storage.disposeSnapshot(secondPointer)).rejects.toThrow(/not a checkpoint or savepoint/);
    await expect(first.finalize(metadataWith(1, handle))).rejects.toThrow(/disposed/);
  });

  it('needs a directory for savepoints', async () => {
    const storage = new JobManagerCheckpointStorage();
    expect(storage.hasDefaultSavepointLocation()).toBe(false);
    await expect(storage.initializeLocationForSavepoint(JOB, 1, null)).rejects.toThrow(
      NoSavepointDirectoryError,
    );
    expect(new JobManagerCheckpointStorage({ savepointDirectory: root }).hasDefaultSavepointLocation()).toBe(
      true,
    );
  });

  it('writes savepoints to a directory, with large state in files, and restores them', async () => {
    const storage = new JobManagerCheckpointStorage({ savepointDirectory: root });
    const location = await storage.initializeLocationForSavepoint(JOB, 5, null);
    expect(path.basename(location.directory ?? '')).toMatch(/^savepoint-012345-[0-9a-f]{12}$/);

    const payload = new Uint8Array(64 * 1024).fill(5);
    const handle = await storage.createStreamFactory(location.directory).write(payload, 'offsets');
    expect(handle.type).toBe('file');
    const pointer = await location.finalize({
      ...metadataWith(5, handle),
      snapshotType: SnapshotType.SAVEPOINT,
    });
    expect(pointer).toBe(location.directory);
    expect(readdirSync(pointer)).toContain('_metadata');

    const resolved = await new JobManagerCheckpointStorage().resolveCheckpoint(pointer);
    expect(resolved.baseDirectory).toBe(pointer);
    expect(Buffer.from(payload).equals(await storage.readState(handle, resolved.baseDirectory))).toBe(true);

    await storage.disposeSnapshot(pointer);
    expect(existsSync(pointer)).toBe(false);
  });
});
