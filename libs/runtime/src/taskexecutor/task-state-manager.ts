import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type {
  CheckpointFailureReason,
  CheckpointMetrics,
  CheckpointOptions,
} from '../checkpoint/checkpoint-types.js';
import type { CheckpointStorage, CheckpointStreamFactory } from '../checkpoint/storage/checkpoint-storage.js';
import { IllegalStateError } from '../core/errors.js';
import type { ExecutionAttemptID } from '../core/ids.js';
import type { TaskStateManager } from '../execution/checkpointable.js';
import type { JobManagerTaskRestore, StreamStateHandle, TaskStateSnapshot } from '../state/state-handles.js';

/** Where a task's checkpoint acknowledgements and declines go: its JobMaster (Flink's CheckpointResponder). */
export interface CheckpointResponder {
  acknowledgeCheckpoint(
    executionId: ExecutionAttemptID,
    checkpointId: number,
    metrics: CheckpointMetrics,
    snapshot: TaskStateSnapshot,
  ): void;
  declineCheckpoint(
    executionId: ExecutionAttemptID,
    checkpointId: number,
    reason: CheckpointFailureReason,
    cause?: Error,
  ): void;
}

/** Keeps every piece of state inline: used when no checkpoint storage is configured. */
const INLINE_STREAM_FACTORY: CheckpointStreamFactory = {
  write: (bytes) =>
    Promise.resolve({ type: 'bytes', data: Buffer.from(bytes).toString('base64'), size: bytes.byteLength }),
};

/**
 * A task's TaskStateManager (Flink's TaskStateManagerImpl): the restore it was deployed with, the
 * storage its snapshots go to, and the responder its acknowledgements go through.
 */
export class TaskStateManagerImpl implements TaskStateManager {
  constructor(
    private readonly executionId: ExecutionAttemptID,
    private readonly restore: JobManagerTaskRestore | undefined,
    private readonly storage: CheckpointStorage | undefined,
    private readonly responder: CheckpointResponder,
  ) {}

  getRestore(): JobManagerTaskRestore | undefined {
    return this.restore;
  }

  async readRestoredState(handle: StreamStateHandle): Promise<Uint8Array> {
    const baseDirectory = this.restore?.baseDirectory ?? null;
    if (this.storage !== undefined) return this.storage.readState(handle, baseDirectory);
    if (handle.type === 'bytes') return Buffer.from(handle.data, 'base64');
    if (baseDirectory === null) {
      throw new IllegalStateError(
        `State file ${handle.relativePath} has no snapshot directory to resolve against.`,
      );
    }
    return readFile(join(baseDirectory, handle.relativePath));
  }

  createStreamFactory(options: CheckpointOptions): CheckpointStreamFactory {
    return this.storage?.createStreamFactory(options.targetLocation) ?? INLINE_STREAM_FACTORY;
  }

  acknowledgeCheckpoint(checkpointId: number, metrics: CheckpointMetrics, snapshot: TaskStateSnapshot): void {
    this.responder.acknowledgeCheckpoint(this.executionId, checkpointId, metrics, snapshot);
  }

  declineCheckpoint(checkpointId: number, reason: CheckpointFailureReason, cause?: Error): void {
    this.responder.declineCheckpoint(this.executionId, checkpointId, reason, cause);
  }
}
