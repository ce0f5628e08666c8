import type {
  CheckpointFailureReason,
  CheckpointMetrics,
  CheckpointOptions,
} from '../checkpoint/checkpoint-types.js';
import type { CheckpointStreamFactory } from '../checkpoint/storage/checkpoint-storage.js';
import {
  DEFAULT_MEMORY_THRESHOLD_BYTES,
  FsCheckpointStreamFactory,
  MemoryCheckpointStreamFactory,
  readStreamState,
} from '../checkpoint/storage/checkpoint-stream-factories.js';
import { LOCAL_FILE_SYSTEM } from '../checkpoint/storage/storage-file-system.js';
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

/**
 * A task's TaskStateManager (Flink's TaskStateManagerImpl): the restore it was deployed with,
 * where its snapshots are written (files in the snapshot's directory above the memory threshold,
 * inline without a directory), and the responder its acknowledgements go through.
 */
export class TaskStateManagerImpl implements TaskStateManager {
  constructor(
    private readonly executionId: ExecutionAttemptID,
    private readonly restore: JobManagerTaskRestore | undefined,
    private readonly responder: CheckpointResponder,
    /** `state.storage.fs.memory-threshold`: state up to this size stays inline (default 20 kb). */
    private readonly memoryThresholdBytes = DEFAULT_MEMORY_THRESHOLD_BYTES,
  ) {}

  getRestore(): JobManagerTaskRestore | undefined {
    return this.restore;
  }

  readRestoredState(handle: StreamStateHandle): Promise<Uint8Array> {
    return readStreamState(LOCAL_FILE_SYSTEM, handle, this.restore?.baseDirectory ?? null);
  }

  createStreamFactory(options: CheckpointOptions): CheckpointStreamFactory {
    return options.targetLocation === null
      ? new MemoryCheckpointStreamFactory()
      : new FsCheckpointStreamFactory(options.targetLocation, this.memoryThresholdBytes, LOCAL_FILE_SYSTEM);
  }

  acknowledgeCheckpoint(checkpointId: number, metrics: CheckpointMetrics, snapshot: TaskStateSnapshot): void {
    this.responder.acknowledgeCheckpoint(this.executionId, checkpointId, metrics, snapshot);
  }

  declineCheckpoint(checkpointId: number, reason: CheckpointFailureReason, cause?: Error): void {
    this.responder.declineCheckpoint(this.executionId, checkpointId, reason, cause);
  }
}
