import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import * as fsPromises from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { JobID, OperatorID } from '../../core/ids.js';
import { SnapshotType } from '../checkpoint-types.js';
import { MissingStateFileError, NoSavepointDirectoryError } from './checkpoint-storage-errors.js';
import { FileSystemCheckpointStorage } from './file-system-checkpoint-storage.js';

import type { StreamStateHandle } from '../../state/state-handles.js';
import type { CheckpointMetadataJson } from './checkpoint-storage.js';
import type { StorageFileSystem } from './storage-file-system.js';

const JOB = JobID.fromHexString('abcdef0123456789abcdef0123456789');
const OPERATOR = OperatorID.fromUid('map-1');

function metadataWith(checkpointId: number, handles: StreamStateHandle[]): CheckpointMetadataJson {
  return {
    version: 1,
    jobId: JOB,
    checkpointId,
    timestamp: 1_700_000_000_000,
    snapshotType: SnapshotType.CHECKPOINT,
    operators: [
      {
        operatorId: OPERATOR,
        uid: 'map-1',
        parallelism: 1,
        maxParallelism: 128,
        subtaskStates: {
          '0': {
            managedKeyedState: handles.map((stream) => ({
              keyGroupRange: { startKeyGroup: 0, endKeyGroup: 127 },
              stream,
            })),
            managedOperatorState: [],
          },
        },
      },
    ],
  };
}

function bytesOf(size: number, fill = 7): Uint8Array {
  return new Uint8Array(size).fill(fill);
}

let root: string;
beforeEach(async () => {
  root = await fsPromises.mkdtemp(path.join(os.tmpdir(), 'eddy-fs-storage-'));
});
afterEach(async () => {
  await fsPromises.rm(root, { recursive: true, force: true });
});

function storage(options: { threshold?: number; fileSystem?: StorageFileSystem; savepoints?: boolean } = {}) {
  return new FileSystemCheckpointStorage({
    checkpointDirectory: path.join(root, 'checkpoints'),
    savepointDirectory: options.savepoints === true ? path.join(root, 'savepoints') : null,
    memoryThresholdBytes: options.threshold ?? 100,
    ...(options.fileSystem !== undefined ? { fileSystem: options.fileSystem } : {}),
  });
}

describe('FileSystemCheckpointStorage layout', () => {
  it('writes checkpoints to <dir>/<jobId>/chk-<n>/ next to shared/ and taskowned/', async () => {
    const location = await storage().initializeLocationForCheckpoint(JOB, 7);
    const jobDirectory = path.join(root, 'checkpoints', JOB);
    expect(location.directory).toBe(path.join(jobDirectory, 'chk-7'));
    expect(readdirSync(jobDirectory).sort()).toEqual(['chk-7', 'shared', 'taskowned']);

    const handle = await storage().createStreamFactory(location.directory).write(bytesOf(500), 'keyed');
    const pointer = await location.finalize(metadataWith(7, [handle]));
    expect(pointer).toBe(location.directory);
    const files = readdirSync(pointer).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toBe('_metadata');
    expect(files[1]).toMatch(/^keyed-[0-9a-f-]{36}$/);
    expect(handle).toEqual({ type: 'file', relativePath: files[1], size: 500 });
  });

  it('names savepoints savepoint-<first 6 of jobId>-<12 hex> in the target or default directory', async () => {
    const target = path.join(root, 'target');
    const explicit = await storage().initializeLocationForSavepoint(JOB, 3, target);
    expect(path.dirname(explicit.directory ?? '')).toBe(target);
    expect(path.basename(explicit.directory ?? '')).toMatch(/^savepoint-abcdef-[0-9a-f]{12}$/);

    const byDefault = await storage({ savepoints: true }).initializeLocationForSavepoint(JOB, 4, null);
    expect(path.dirname(byDefault.directory ?? '')).toBe(path.join(root, 'savepoints'));
    expect(byDefault.directory).not.toBe(explicit.directory);
  });

  it('resolves a relative savepoint target to an absolute directory', async () => {
    const relative = path.relative(process.cwd(), path.join(root, 'relative-target'));
    const location = await storage().initializeLocationForSavepoint(JOB, 1, relative);
    expect(path.isAbsolute(location.directory ?? '')).toBe(true);
    expect(location.directory?.startsWith(path.join(root, 'relative-target'))).toBe(true);
  });

  it('refuses a savepoint without a target or default directory', async () => {
    const s = storage();
    expect(s.hasDefaultSavepointLocation()).toBe(false);
    await expect(s.initializeLocationForSavepoint(JOB, 1, null)).rejects.toThrow(NoSavepointDirectoryError);
    await expect(s.initializeLocationForSavepoint(JOB, 1, null)).rejects.toThrow(
      'No savepoint directory configured: set execution.checkpointing.savepoint-dir or give a target directory.',
    );
  });

  it('accepts a file:// URI as the checkpoint directory', async () => {
    const s = new FileSystemCheckpointStorage({ checkpointDirectory: pathToFileURL(root).href });
    const location = await s.initializeLocationForCheckpoint(JOB, 1);
    expect(location.directory).toBe(path.join(root, JOB, 'chk-1'));
    expect(() => new FileSystemCheckpointStorage({ checkpointDirectory: 's3://bucket/x' })).toThrow(/s3/);
  });
});

describe('FileSystemCheckpointStorage stream factory', () => {
  it('keeps state up to the memory threshold inline and writes larger state to a file', async () => {
    const location = await storage().initializeLocationForCheckpoint(JOB, 1);
    const factory = storage().createStreamFactory(location.directory);
    const small = await factory.write(bytesOf(100, 1), 'op');
    const large = await factory.write(bytesOf(101, 2), 'op');
    expect(small).toEqual({
      type: 'bytes',
      data: Buffer.from(bytesOf(100, 1)).toString('base64'),
      size: 100,
    });
    expect(large.type).toBe('file');
    expect(await storage().readState(small, null)).toEqual(Buffer.from(bytesOf(100, 1)));
    expect(await storage().readState(large, location.directory)).toEqual(Buffer.from(bytesOf(101, 2)));
  });

  it('gives every file a unique, safe name', async () => {
    const location = await storage({ threshold: 0 }).initializeLocationForCheckpoint(JOB, 1);
    const factory = storage({ threshold: 0 }).createStreamFactory(location.directory);
    const handles = await Promise.all([1, 2, 3].map(() => factory.write(bytesOf(10), '../../evil name')));
    const names = handles.map((handle) => (handle.type === 'file' ? handle.relativePath : ''));
    expect(new Set(names).size).toBe(3);
    for (const name of names) expect(name).toMatch(/^evil_name-/);
    expect(readdirSync(location.directory ?? '').sort()).toEqual([...names].sort());
  });

  it('rejects a memory threshold above 1 mb', () => {
    expect(() => storage({ threshold: 1024 * 1024 + 1 })).toThrow(/memory-threshold/);
  });
});

/** A file system that records calls and can refuse to rename onto chosen names. */
function recordingFileSystem(failRenameTo: (name: string) => boolean) {
  const calls: { op: 'open' | 'rename'; target: string }[] = [];
  const fileSystem: StorageFileSystem = {
    ...fsPromises,
    open: (file, flags, mode) => {
      calls.push({ op: 'open', target: String(file) });
      return fsPromises.open(file, flags, mode);
    },
    rename: async (from, to) => {
      calls.push({ op: 'rename', target: String(to) });
      if (failRenameTo(path.basename(String(to)))) throw new Error('simulated crash before rename');
      await fsPromises.rename(from, to);
    },
  };
  return { fileSystem, calls };
}

describe('FileSystemCheckpointStorage crash safety', () => {
  it('publishes _metadata only by a rename, after every data file is renamed', async () => {
    const { fileSystem, calls } = recordingFileSystem(() => false);
    const s = storage({ fileSystem });
    const location = await s.initializeLocationForCheckpoint(JOB, 2);
    const factory = s.createStreamFactory(location.directory);
    const handles = [await factory.write(bytesOf(200), 'a'), await factory.write(bytesOf(300), 'b')];
    await location.finalize(metadataWith(2, handles));

    const opened = calls.filter((call) => call.op === 'open').map((call) => path.basename(call.target));
    expect(opened.filter((name) => name === '_metadata')).toEqual([]);
    expect(opened.some((name) => name.startsWith('._metadata.inprogress-'))).toBe(true);
    const renames = calls.filter((call) => call.op === 'rename').map((call) => path.basename(call.target));
    expect(renames.at(-1)).toBe('_metadata');
    expect(renames).toHaveLength(3);
  });

  it('leaves no _metadata when the process dies before the rename of _metadata', async () => {
    const { fileSystem } = recordingFileSystem((name) => name === '_metadata');
    const s = storage({ fileSystem });
    const location = await s.initializeLocationForCheckpoint(JOB, 3);
    const handle = await s.createStreamFactory(location.directory).write(bytesOf(500), 'data');
    await expect(location.finalize(metadataWith(3, [handle]))).rejects.toThrow('simulated crash');

    const directory = location.directory ?? '';
    expect(existsSync(path.join(directory, '_metadata'))).toBe(false);
    await expect(storage().resolveCheckpoint(directory)).rejects.toThrow(
      `${directory} is not a checkpoint or savepoint: no _metadata`,
    );
  });

  it('leaves no data file when the process dies before a data file is renamed', async () => {
    const { fileSystem } = recordingFileSystem((name) => name.startsWith('data-'));
    const s = storage({ fileSystem });
    const location = await s.initializeLocationForCheckpoint(JOB, 3);
    await expect(s.createStreamFactory(location.directory).write(bytesOf(500), 'data')).rejects.toThrow();
    expect(readdirSync(location.directory ?? '')).toEqual([]);
  });

  it('writes nothing when the metadata cannot be serialized', async () => {
    const s = storage();
    const location = await s.initializeLocationForCheckpoint(JOB, 4);
    const broken = { ...metadataWith(4, []), timestamp: 10n } as unknown as CheckpointMetadataJson;
    await expect(location.finalize(broken)).rejects.toThrow(/BigInt/);
    expect(readdirSync(location.directory ?? '')).toEqual([]);
  });

  it('never reads a leftover .inprogress file', async () => {
    const s = storage();
    const location = await s.initializeLocationForCheckpoint(JOB, 5);
    const directory = location.directory ?? '';
    const text = JSON.stringify(metadataWith(5, []));
    writeFileSync(path.join(directory, '._metadata.inprogress-0011223344556677'), text);
    await expect(s.resolveCheckpoint(directory)).rejects.toThrow('no _metadata');

    await location.finalize(metadataWith(5, []));
    writeFileSync(path.join(directory, '.data.inprogress-0011223344556677'), 'garbage');
    const resolved = await s.resolveCheckpoint(directory);
    expect(resolved.metadata.checkpointId).toBe(5);
  });

  it('refuses to finalize the same location twice', async () => {
    const location = await storage().initializeLocationForCheckpoint(JOB, 6);
    await location.finalize(metadataWith(6, []));
    await expect(location.finalize(metadataWith(6, []))).rejects.toThrow(/already exists/);
    await expect(location.finalize(metadataWith(7, []))).rejects.toThrow(/checkpoint 7/);
  });
});

describe('FileSystemCheckpointStorage dispose and relocation', () => {
  it('dispose removes the snapshot directory and nothing else', async () => {
    const s = storage({ threshold: 0 });
    const first = await s.initializeLocationForCheckpoint(JOB, 1);
    const second = await s.initializeLocationForCheckpoint(JOB, 2);
    await s.createStreamFactory(first.directory).write(bytesOf(10), 'x');
    await first.finalize(metadataWith(1, []));
    await first.dispose();
    expect(existsSync(first.directory ?? '')).toBe(false);
    expect(existsSync(second.directory ?? '')).toBe(true);
    expect(readdirSync(path.join(root, 'checkpoints', JOB)).sort()).toEqual(['chk-2', 'shared', 'taskowned']);
  });

  it('restores a savepoint after its directory was moved', async () => {
    const s = storage();
    const location = await s.initializeLocationForSavepoint(JOB, 9, path.join(root, 'sp'));
    const factory = s.createStreamFactory(location.directory);
    const handles = [
      await factory.write(bytesOf(1000, 3), 'big'),
      await factory.write(bytesOf(5, 4), 'tiny'),
    ];
    const pointer = await location.finalize({
      ...metadataWith(9, handles),
      snapshotType: SnapshotType.SAVEPOINT,
    });

    const moved = path.join(root, 'elsewhere', 'my-savepoint');
    await fsPromises.mkdir(path.dirname(moved));
    renameSync(pointer, moved);

    for (const target of [moved, path.join(moved, '_metadata')]) {
      const resolved = await s.resolveCheckpoint(target);
      expect(resolved.baseDirectory).toBe(moved);
      expect(resolved.externalPointer).toBe(moved);
      const restored = resolved.metadata.operators[0]?.subtaskStates['0']?.managedKeyedState ?? [];
      const bytes = await Promise.all(restored.map((h) => s.readState(h.stream, resolved.baseDirectory)));
      expect(bytes).toEqual([Buffer.from(bytesOf(1000, 3)), Buffer.from(bytesOf(5, 4))]);
    }
    await expect(s.resolveCheckpoint(pointer)).rejects.toThrow('does not exist');
  });

  it('names a missing or damaged state file', async () => {
    const s = storage();
    const location = await s.initializeLocationForCheckpoint(JOB, 1);
    const handle = await s.createStreamFactory(location.directory).write(bytesOf(400), 'gone');
    if (handle.type !== 'file') throw new Error('expected a file handle');
    const file = path.join(location.directory ?? '', handle.relativePath);

    writeFileSync(file, 'short');
    await expect(s.readState(handle, location.directory)).rejects.toThrow(`State file ${file} has 5 bytes`);
    await fsPromises.rm(file);
    const failure = s.readState(handle, location.directory);
    await expect(failure).rejects.toThrow(MissingStateFileError);
    await expect(failure).rejects.toThrow(`State file ${file} does not exist`);
    await expect(s.readState(handle, null)).rejects.toThrow(/no directory/);
    await expect(
      s.readState({ type: 'file', relativePath: '../escape', size: 1 }, location.directory),
    ).rejects.toThrow(/inside the snapshot directory/);
  });
});

describe('FileSystemCheckpointStorage resolveCheckpoint and disposeSnapshot', () => {
  async function snapshotDirectoryWith(metadataText: string): Promise<string> {
    const directory = path.join(root, 'manual', `snap-${Math.random().toString(16).slice(2)}`);
    await fsPromises.mkdir(directory, { recursive: true });
    await fsPromises.writeFile(path.join(directory, '_metadata'), metadataText);
    return directory;
  }

  it('explains why a pointer is not a snapshot', async () => {
    const s = storage();
    const missing = path.join(root, 'nope');
    await expect(s.resolveCheckpoint(missing)).rejects.toThrow(`${missing} is not a checkpoint or savepoint`);
    await fsPromises.mkdir(path.join(root, 'empty'));
    await expect(s.resolveCheckpoint(path.join(root, 'empty'))).rejects.toThrow(
      `${path.join(root, 'empty')} is not a checkpoint or savepoint: no _metadata`,
    );
    writeFileSync(path.join(root, 'file.txt'), 'x');
    await expect(s.resolveCheckpoint(path.join(root, 'file.txt'))).rejects.toThrow(/_metadata file/);
    await expect(s.resolveCheckpoint('jobmanager://x/chk-1')).rejects.toThrow(/memory/);
  });

  it('validates the _metadata content', async () => {
    const s = storage();
    const valid = metadataWith(1, []);
    const cases: [string, RegExp][] = [
      ['{not json', /not JSON/],
      [JSON.stringify({ ...valid, version: 2 }), /unsupported version 2 \(expected 1\)/],
      [JSON.stringify({ ...valid, checkpointId: undefined }), /checkpointId/],
      [JSON.stringify({ ...valid, snapshotType: 'X' }), /snapshotType/],
      [JSON.stringify({ ...valid, operators: {} }), /operators must be an array/],
      [
        JSON.stringify(metadataWith(1, [{ type: 'file', relativePath: '../../etc/passwd', size: 1 }])),
        /operators\[0\]: subtaskStates\[0\]: managedKeyedState\[0\]: .*inside the snapshot directory/,
      ],
    ];
    for (const [text, message] of cases) {
      const directory = await snapshotDirectoryWith(text);
      const failure = s.resolveCheckpoint(directory);
      await expect(failure).rejects.toThrow(message);
      await expect(failure).rejects.toThrow(path.join(directory, '_metadata'));
    }
  });

  it('disposes a savepoint given its directory or its _metadata', async () => {
    const s = storage({ savepoints: true });
    for (const viaMetadata of [false, true]) {
      const location = await s.initializeLocationForSavepoint(JOB, 1, null);
      await s.createStreamFactory(location.directory).write(bytesOf(500), 'x');
      const pointer = await location.finalize(metadataWith(1, []));
      await s.disposeSnapshot(viaMetadata ? path.join(pointer, '_metadata') : pointer);
      expect(existsSync(pointer)).toBe(false);
    }
    expect(existsSync(path.join(root, 'savepoints'))).toBe(true);
  });

  it('refuses to dispose anything that is not a snapshot directory', async () => {
    const s = storage();
    const location = await s.initializeLocationForCheckpoint(JOB, 1);
    await location.finalize(metadataWith(1, []));
    const jobDirectory = path.join(root, 'checkpoints', JOB);
    writeFileSync(path.join(root, 'notes.txt'), 'keep me');
    const invalid = await snapshotDirectoryWith('not metadata');

    for (const pointer of [
      jobDirectory,
      root,
      path.join(root, 'notes.txt'),
      path.join(root, 'nope'),
      invalid,
    ]) {
      await expect(s.disposeSnapshot(pointer)).rejects.toThrow(/is not (a checkpoint or savepoint|a valid)/);
    }
    expect(existsSync(location.directory ?? '')).toBe(true);
    expect(existsSync(path.join(root, 'notes.txt'))).toBe(true);
    expect(existsSync(path.join(invalid, '_metadata'))).toBe(true);
  });
});
