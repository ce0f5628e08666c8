import type { CheckpointFailureReason, CheckpointMetrics } from '../../checkpoint/checkpoint-types.js';
import type { CheckpointStreamFactory } from '../../checkpoint/storage/checkpoint-storage.js';
import { IllegalStateError } from '../../core/errors.js';
import type {
  JobManagerTaskRestore,
  StreamStateHandle,
  TaskStateSnapshot,
} from '../../state/state-handles.js';
import type { TaskStateManager } from '../checkpointable.js';

/** A TaskStateManager for unit tests: state inline in memory, acknowledgements and declines recorded. */
export class TestingTaskStateManager implements TaskStateManager {
  readonly acknowledged: { checkpointId: number; metrics: CheckpointMetrics; snapshot: TaskStateSnapshot }[] =
    [];
  readonly declined: { checkpointId: number; reason: CheckpointFailureReason; cause?: Error }[] = [];
  private readonly streamFactory: CheckpointStreamFactory = {
    write: (bytes) =>
      Promise.resolve({ type: 'bytes', data: Buffer.from(bytes).toString('base64'), size: bytes.byteLength }),
  };

  constructor(private readonly restore?: JobManagerTaskRestore) {}

  getRestore(): JobManagerTaskRestore | undefined {
    return this.restore;
  }

  readRestoredState(handle: StreamStateHandle): Promise<Uint8Array> {
    if (handle.type !== 'bytes') {
      return Promise.reject(
        new IllegalStateError(`TestingTaskStateManager keeps state inline, not in ${handle.relativePath}.`),
      );
    }
    return Promise.resolve(Buffer.from(handle.data, 'base64'));
  }

  createStreamFactory(): CheckpointStreamFactory {
    return this.streamFactory;
  }

  acknowledgeCheckpoint(checkpointId: number, metrics: CheckpointMetrics, snapshot: TaskStateSnapshot): void {
    this.acknowledged.push({ checkpointId, metrics, snapshot });
  }

  declineCheckpoint(checkpointId: number, reason: CheckpointFailureReason, cause?: Error): void {
    this.declined.push({ checkpointId, reason, ...(cause !== undefined ? { cause } : {}) });
  }
}
