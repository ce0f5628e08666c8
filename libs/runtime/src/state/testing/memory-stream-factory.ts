import type { CheckpointOptions } from '../../checkpoint/checkpoint-types.js';
import { SnapshotType } from '../../checkpoint/checkpoint-types.js';
import type { CheckpointStreamFactory } from '../../checkpoint/storage/checkpoint-storage.js';
import type { StateReader } from '../state-api.js';
import type { StreamStateHandle } from '../state-handles.js';

/**
 * A CheckpointStreamFactory for tests that keeps every piece of state inline, as base64 (the
 * `bytes` handle of inline checkpoint storage), and records what was written.
 */
export class MemoryStreamFactory implements CheckpointStreamFactory {
  /** Every write, in order. */
  readonly writes: { readonly nameHint: string; readonly size: number }[] = [];

  write(bytes: Uint8Array, nameHint: string): Promise<StreamStateHandle> {
    this.writes.push({ nameHint, size: bytes.byteLength });
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
    return Promise.resolve({ type: 'bytes', data, size: bytes.byteLength });
  }
}

/** Reads the bytes of an inline handle; a file handle is an error here. */
export const readMemoryHandle: StateReader = (handle) =>
  handle.type === 'bytes'
    ? Promise.resolve(Buffer.from(handle.data, 'base64'))
    : Promise.reject(new Error(`A memory stream factory cannot read file handle ${handle.relativePath}.`));

/** Options of a plain checkpoint with inline state. */
export const CHECKPOINT_OPTIONS: CheckpointOptions = {
  snapshotType: SnapshotType.CHECKPOINT,
  drain: false,
  targetLocation: null,
};
