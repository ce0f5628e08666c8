import type { JobVertexID } from '../core/ids.js';
import type { CompiledCheckpointCoordinatorOptions } from './checkpoint-coordinator-options.js';
import type { CheckpointPlan, CheckpointTaskHandle, CheckpointVertexInfo } from './checkpoint-plan.js';
import type { CheckpointTriggerRequest } from './checkpoint-request-decider.js';
import { CheckpointException, SnapshotType } from './checkpoint-types.js';
import type { CheckpointFailureReason, CheckpointOptions } from './checkpoint-types.js';
import { PendingCheckpoint } from './pending-checkpoint.js';
import type { CheckpointStorageLocation } from './storage/checkpoint-storage.js';

/*
 * The steps of triggering and finishing a snapshot that need no coordinator state, split out of
 * CheckpointCoordinator to keep it readable.
 */

/** Creates the pending checkpoint of `request` and reports it to the stats tracker. */
export function createPendingCheckpoint(
  options: CompiledCheckpointCoordinatorOptions,
  request: CheckpointTriggerRequest,
  plan: CheckpointPlan,
  checkpointId: number,
  timestamp: number,
): PendingCheckpoint {
  const vertices = options.planCalculator.getVertices();
  const pending = new PendingCheckpoint({
    jobId: options.jobId,
    checkpointId,
    timestamp,
    snapshotType: request.snapshotType,
    savepointFormat: request.savepointFormat,
    plan,
    vertices,
    completion: request.completion,
  });
  options.statsTracker.reportPendingCheckpoint({
    checkpointId,
    triggerTimestamp: timestamp,
    snapshotType: request.snapshotType,
    savepointFormat: request.savepointFormat,
    vertexToParallelism: computeVertexToParallelism(plan.tasksToWaitFor, vertices),
  });
  return pending;
}

/** A checkpoint directory for checkpoints, a savepoint directory (target or default) for savepoints. */
export function initializeCheckpointLocation(
  options: CompiledCheckpointCoordinatorOptions,
  request: CheckpointTriggerRequest,
  checkpointId: number,
): Promise<CheckpointStorageLocation> {
  const { storage, jobId } = options;
  return request.snapshotType === SnapshotType.CHECKPOINT
    ? storage.initializeLocationForCheckpoint(jobId, checkpointId)
    : storage.initializeLocationForSavepoint(jobId, checkpointId, request.targetLocation);
}

/** Sends the trigger to the source tasks; `onFailure` gets the first failed trigger's error. */
export function triggerTasks(
  request: CheckpointTriggerRequest,
  pending: PendingCheckpoint,
  location: CheckpointStorageLocation,
  onFailure: (error: unknown) => void,
): void {
  const checkpointOptions: CheckpointOptions = {
    snapshotType: request.snapshotType,
    drain: request.drain,
    targetLocation: location.directory,
  };
  const metadata = { checkpointId: pending.checkpointId, timestamp: pending.timestamp };
  const acks = pending.plan.tasksToTrigger.map((task) =>
    invokeAsync(() => task.triggerCheckpoint(metadata, checkpointOptions)),
  );
  void Promise.all(acks).catch(onFailure);
}

/** `error` if it is a CheckpointException, else one with `defaultReason` and `error` as its cause. */
export function toCheckpointException(
  error: unknown,
  defaultReason: CheckpointFailureReason,
): CheckpointException {
  return error instanceof CheckpointException
    ? error
    : new CheckpointException(defaultReason, { cause: error });
}

/** Calls `fn`, turning a synchronous throw into a rejected promise. */
export function invokeAsync(fn: () => Promise<void>): Promise<void> {
  try {
    return fn();
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * Tells `tasks` that `checkpointId` completed. Fire and forget: a task that cannot be reached
 * learns of a later checkpoint instead, as in Flink.
 */
export function notifyCheckpointComplete(
  tasks: readonly CheckpointTaskHandle[],
  checkpointId: number,
  timestamp: number,
): void {
  for (const task of tasks) {
    void invokeAsync(() => task.notifyCheckpointComplete(checkpointId, timestamp)).catch(() => undefined);
  }
}

/** Tells `tasks` that `checkpointId` was aborted. Fire and forget. */
export function notifyCheckpointAborted(
  tasks: readonly CheckpointTaskHandle[],
  checkpointId: number,
  latestCompletedCheckpointId: number,
): void {
  for (const task of tasks) {
    void invokeAsync(() => task.notifyCheckpointAborted(checkpointId, latestCompletedCheckpointId)).catch(
      () => undefined,
    );
  }
}

/**
 * The subtasks a checkpoint waits for, as parallelism by job vertex (for the stats tracker): the
 * vertex's parallelism when known, else the highest subtask index seen plus one.
 */
export function computeVertexToParallelism(
  tasksToWaitFor: readonly CheckpointTaskHandle[],
  vertices: readonly CheckpointVertexInfo[],
): Map<JobVertexID, number> {
  const parallelism = new Map(vertices.map((v) => [v.jobVertexId, v.parallelism]));
  const result = new Map<JobVertexID, number>();
  for (const task of tasksToWaitFor) {
    const counted = Math.max(result.get(task.jobVertexId) ?? 0, task.subtaskIndex + 1);
    result.set(task.jobVertexId, parallelism.get(task.jobVertexId) ?? counted);
  }
  return result;
}
