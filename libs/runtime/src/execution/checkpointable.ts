import type {
  CheckpointFailureReason,
  CheckpointMetaData,
  CheckpointMetrics,
  CheckpointOptions,
} from '../checkpoint/checkpoint-types.js';
import type { CheckpointStreamFactory } from '../checkpoint/storage/checkpoint-storage.js';
import type { JobManagerTaskRestore, StreamStateHandle, TaskStateSnapshot } from '../state/state-handles.js';
import type { TaskInvokable } from './invokable.js';

/**
 * An invokable that takes part in checkpoints (Flink's CheckpointableTask). Sources are triggered
 * by the coordinator through `triggerCheckpointAsync`; other tasks see barriers in their input and
 * act on their own. Every task hears when a checkpoint completed or was aborted.
 */
export interface CheckpointableTask {
  /** Takes a snapshot at a source; resolves false when the task cannot (it declined). */
  triggerCheckpointAsync(metadata: CheckpointMetaData, options: CheckpointOptions): Promise<boolean>;
  /** Checkpoint `checkpointId` completed: side effects may be committed (two-phase commit sinks). */
  notifyCheckpointCompleteAsync(checkpointId: number): Promise<void>;
  notifyCheckpointAbortAsync(checkpointId: number, latestCompletedCheckpointId: number): Promise<void>;
}

export function isCheckpointableTask(
  invokable: TaskInvokable,
): invokable is TaskInvokable & CheckpointableTask {
  const candidate = invokable as Partial<CheckpointableTask>;
  return (
    typeof candidate.triggerCheckpointAsync === 'function' &&
    typeof candidate.notifyCheckpointCompleteAsync === 'function' &&
    typeof candidate.notifyCheckpointAbortAsync === 'function'
  );
}

/**
 * A task's link to checkpointing (Flink's TaskStateManager): what to restore, where to write
 * snapshots, and how to report them to the CheckpointCoordinator.
 */
export interface TaskStateManager {
  /** The state this attempt restores, or undefined for a fresh start. */
  getRestore(): JobManagerTaskRestore | undefined;
  /** Reads the bytes of a restored handle. */
  readRestoredState(handle: StreamStateHandle): Promise<Uint8Array>;
  /** Where this task writes its part of the snapshot described by `options`. */
  createStreamFactory(options: CheckpointOptions): CheckpointStreamFactory;
  acknowledgeCheckpoint(checkpointId: number, metrics: CheckpointMetrics, snapshot: TaskStateSnapshot): void;
  declineCheckpoint(checkpointId: number, reason: CheckpointFailureReason, cause?: Error): void;
}
