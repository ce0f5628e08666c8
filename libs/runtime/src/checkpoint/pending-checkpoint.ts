import type { ScheduledTask } from '../core/clock.js';
import type { Deferred } from '../core/async.js';
import { IllegalStateError } from '../core/errors.js';
import type { ExecutionAttemptID, JobID, JobVertexID, OperatorID } from '../core/ids.js';
import type { OperatorSubtaskState, TaskStateSnapshot } from '../state/state-handles.js';
import type { CheckpointPlan, CheckpointTaskHandle, CheckpointVertexInfo } from './checkpoint-plan.js';
import { isSavepoint } from './checkpoint-types.js';
import type { CheckpointException, SavepointFormatType, SnapshotType } from './checkpoint-types.js';
import { CompletedCheckpoint } from './completed-checkpoint.js';
import type {
  CheckpointMetadataJson,
  CheckpointStorageLocation,
  OperatorStateMetadata,
} from './storage/checkpoint-storage.js';

/** What an acknowledgement did (Flink's PendingCheckpoint.TaskAcknowledgeResult). */
export const TaskAcknowledgeResult = {
  /** The task's first acknowledgement: its state was taken. */
  SUCCESS: 'SUCCESS',
  /** The task acknowledged before. */
  DUPLICATE: 'DUPLICATE',
  /** The task is not one this checkpoint waits for. */
  UNKNOWN: 'UNKNOWN',
  /** The checkpoint is already aborted or being completed. */
  DISCARDED: 'DISCARDED',
} as const;
export type TaskAcknowledgeResult = (typeof TaskAcknowledgeResult)[keyof typeof TaskAcknowledgeResult];

/**
 * Lifecycle of a pending checkpoint: PENDING while acknowledgements arrive, FINALIZING while its
 * `_metadata` is written, then COMPLETED or ABORTED. Only PENDING takes acknowledgements.
 */
export type PendingCheckpointStatus = 'PENDING' | 'FINALIZING' | 'COMPLETED' | 'ABORTED';

/** What a {@link PendingCheckpoint} is created with. */
export interface PendingCheckpointProps {
  readonly jobId: JobID;
  readonly checkpointId: number;
  /** Trigger time (wall clock, ms). */
  readonly timestamp: number;
  readonly snapshotType: SnapshotType;
  /** Null (the default) for checkpoints. */
  readonly savepointFormat?: SavepointFormatType | null;
  readonly plan: CheckpointPlan;
  /** The job's vertices, for parallelism, max parallelism and operators of acknowledging tasks. */
  readonly vertices: readonly CheckpointVertexInfo[];
  /** Resolved with the completed checkpoint, rejected with the abort reason. */
  readonly completion: Deferred<CompletedCheckpoint>;
}

/**
 * A checkpoint that was triggered and waits for every task's acknowledgement (Flink's
 * PendingCheckpoint). It collects the tasks' state by operator; once fully acknowledged it is
 * finalized into a {@link CompletedCheckpoint}, or it is aborted, which disposes its storage location.
 */
export class PendingCheckpoint {
  readonly jobId: JobID;
  readonly checkpointId: number;
  readonly timestamp: number;
  readonly snapshotType: SnapshotType;
  readonly savepointFormat: SavepointFormatType | null;
  readonly plan: CheckpointPlan;
  private status: PendingCheckpointStatus = 'PENDING';
  private readonly notYetAcknowledged = new Map<ExecutionAttemptID, CheckpointTaskHandle>();
  private readonly acknowledged = new Map<ExecutionAttemptID, CheckpointTaskHandle>();
  private readonly vertices = new Map<JobVertexID, CheckpointVertexInfo>();
  /** Operator state by OperatorID, in the order operators were first acknowledged. */
  private readonly operatorStates = new Map<OperatorID, MutableOperatorState>();
  private readonly completion: Deferred<CompletedCheckpoint>;
  private location: CheckpointStorageLocation | undefined;
  private canceller: ScheduledTask | undefined;
  private failureCause: CheckpointException | undefined;

  constructor(props: PendingCheckpointProps) {
    this.jobId = props.jobId;
    this.checkpointId = props.checkpointId;
    this.timestamp = props.timestamp;
    this.snapshotType = props.snapshotType;
    this.savepointFormat = props.savepointFormat ?? null;
    this.plan = props.plan;
    this.completion = props.completion;
    for (const vertex of props.vertices) this.vertices.set(vertex.jobVertexId, vertex);
    for (const task of props.plan.tasksToWaitFor) this.notYetAcknowledged.set(task.attemptId, task);
  }

  getStatus(): PendingCheckpointStatus {
    return this.status;
  }

  isSavepoint(): boolean {
    return isSavepoint(this.snapshotType);
  }

  /** Savepoints are never subsumed by a newer completed checkpoint. */
  canBeSubsumed(): boolean {
    return !this.isSavepoint();
  }

  /** Completed or aborted: nothing more can happen to it. */
  isDisposed(): boolean {
    return this.status === 'COMPLETED' || this.status === 'ABORTED';
  }

  isFinalizing(): boolean {
    return this.status === 'FINALIZING';
  }

  isFullyAcknowledged(): boolean {
    return this.notYetAcknowledged.size === 0 && this.status === 'PENDING';
  }

  isAcknowledgedBy(attemptId: ExecutionAttemptID): boolean {
    return this.acknowledged.has(attemptId);
  }

  getNumberOfAcknowledgedTasks(): number {
    return this.acknowledged.size;
  }

  getNumberOfNonAcknowledgedTasks(): number {
    return this.notYetAcknowledged.size;
  }

  /** The task `attemptId` of this checkpoint, acknowledged or not. */
  getTask(attemptId: ExecutionAttemptID): CheckpointTaskHandle | undefined {
    return this.notYetAcknowledged.get(attemptId) ?? this.acknowledged.get(attemptId);
  }

  getCompletionPromise(): Promise<CompletedCheckpoint> {
    return this.completion.promise;
  }

  getCheckpointStorageLocation(): CheckpointStorageLocation | undefined {
    return this.location;
  }

  /** Why it was aborted, once it was. */
  getFailureCause(): CheckpointException | undefined {
    return this.failureCause;
  }

  /**
   * Sets where the snapshot is written. Returns false when the checkpoint was aborted meanwhile;
   * the caller then owns the location and disposes it.
   */
  setCheckpointStorageLocation(location: CheckpointStorageLocation): boolean {
    if (this.status !== 'PENDING') return false;
    this.location = location;
    return true;
  }

  /** The timeout task; cancelled when the checkpoint is finalized or aborted. */
  setCancellerHandle(canceller: ScheduledTask): boolean {
    if (this.status !== 'PENDING') return false;
    this.canceller = canceller;
    return true;
  }

  /**
   * A task acknowledged with its state by operator. Operators of the task's vertex that report no
   * state still appear in the metadata (with no subtask state), as in Flink.
   */
  acknowledgeTask(
    attemptId: ExecutionAttemptID,
    state: TaskStateSnapshot | undefined,
  ): TaskAcknowledgeResult {
    if (this.status !== 'PENDING') return TaskAcknowledgeResult.DISCARDED;
    const task = this.notYetAcknowledged.get(attemptId);
    if (task === undefined) {
      return this.acknowledged.has(attemptId)
        ? TaskAcknowledgeResult.DUPLICATE
        : TaskAcknowledgeResult.UNKNOWN;
    }
    this.notYetAcknowledged.delete(attemptId);
    this.acknowledged.set(attemptId, task);
    const vertex = this.vertices.get(task.jobVertexId);
    for (const operator of vertex?.operators ?? []) {
      let operatorState = this.operatorStates.get(operator.operatorId);
      if (operatorState === undefined && vertex !== undefined) {
        operatorState = {
          operatorId: operator.operatorId,
          ...(operator.uid !== undefined ? { uid: operator.uid } : {}),
          parallelism: vertex.parallelism,
          maxParallelism: vertex.maxParallelism,
          subtaskStates: {},
        };
        this.operatorStates.set(operator.operatorId, operatorState);
      }
      const subtaskState = state?.[operator.operatorId];
      if (operatorState !== undefined && subtaskState !== undefined) {
        operatorState.subtaskStates[String(task.subtaskIndex)] = subtaskState;
      }
    }
    return TaskAcknowledgeResult.SUCCESS;
  }

  /** The `_metadata` content: operators in job-vertex order, then chain order. */
  createMetadata(): CheckpointMetadataJson {
    const operators: OperatorStateMetadata[] = [];
    const seen = new Set<OperatorID>();
    for (const vertex of this.vertices.values()) {
      for (const operator of vertex.operators) {
        const state = this.operatorStates.get(operator.operatorId);
        if (state !== undefined && !seen.has(operator.operatorId)) {
          seen.add(operator.operatorId);
          operators.push({ ...state, subtaskStates: { ...state.subtaskStates } });
        }
      }
    }
    return {
      version: 1,
      jobId: this.jobId,
      checkpointId: this.checkpointId,
      timestamp: this.timestamp,
      snapshotType: this.snapshotType,
      operators,
    };
  }

  /**
   * Writes `_metadata` through the storage location and turns this into a CompletedCheckpoint.
   * Must be fully acknowledged. The checkpoint stays FINALIZING (not abortable by timeout) until
   * {@link markCompleted}; a failed write leaves it FINALIZING for the caller to abort.
   */
  async finalizeCheckpoint(
    completionTimestamp: number,
    onDiscarded?: () => void,
  ): Promise<CompletedCheckpoint> {
    if (!this.isFullyAcknowledged()) {
      throw new IllegalStateError(`Checkpoint ${this.checkpointId} is not fully acknowledged.`);
    }
    const location = this.location;
    if (location === undefined) {
      throw new IllegalStateError(`Checkpoint ${this.checkpointId} has no storage location.`);
    }
    this.status = 'FINALIZING';
    this.cancelCanceller();
    const metadata = this.createMetadata();
    const externalPointer = await location.finalize(metadata);
    return new CompletedCheckpoint({
      jobId: this.jobId,
      checkpointId: this.checkpointId,
      timestamp: this.timestamp,
      completionTimestamp,
      snapshotType: this.snapshotType,
      savepointFormat: this.savepointFormat,
      metadata,
      externalPointer,
      storageLocation: location,
      ...(onDiscarded !== undefined ? { onDiscarded } : {}),
    });
  }

  /** Completes the caller's promise with the finalized checkpoint. */
  markCompleted(completed: CompletedCheckpoint): void {
    if (this.status !== 'FINALIZING') {
      throw new IllegalStateError(`Checkpoint ${this.checkpointId} is ${this.status}, not FINALIZING.`);
    }
    this.status = 'COMPLETED';
    this.completion.resolve(completed);
  }

  /**
   * Aborts (from PENDING or FINALIZING): cancels the timeout, rejects the completion promise with
   * `exception`, and disposes the storage location so that nothing of the snapshot (no `_metadata`)
   * stays. Returns false when already disposed. A failed disposal is ignored.
   */
  abort(exception: CheckpointException): boolean {
    if (this.isDisposed()) return false;
    this.status = 'ABORTED';
    this.failureCause = exception;
    this.cancelCanceller();
    this.completion.reject(exception);
    this.operatorStates.clear();
    const location = this.location;
    if (location !== undefined) this.disposal = location.dispose().catch(() => undefined);
    return true;
  }

  /** Resolves when the files of an aborted checkpoint are deleted (at once when there are none). */
  getDisposalFuture(): Promise<void> {
    return this.disposal ?? Promise.resolve();
  }

  private disposal: Promise<void> | undefined;

  private cancelCanceller(): void {
    this.canceller?.cancel();
    this.canceller = undefined;
  }
}

interface MutableOperatorState {
  readonly operatorId: OperatorID;
  readonly uid?: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly subtaskStates: Record<string, OperatorSubtaskState>;
}
