import { deferred } from '../core/async.js';
import { IllegalStateError } from '../core/errors.js';
import type { ExecutionAttemptID } from '../core/ids.js';
import type { JobStatus } from '../executiongraph/job-status.js';
import type { TaskStateSnapshot } from '../state/state-handles.js';
import { compileCheckpointCoordinatorOptions } from './checkpoint-coordinator-options.js';
import type {
  CheckpointCoordinatorOptions,
  CompiledCheckpointCoordinatorOptions,
} from './checkpoint-coordinator-options.js';
import {
  createPendingCheckpoint,
  initializeCheckpointLocation,
  notifyCheckpointAborted,
  notifyCheckpointComplete,
  toCheckpointException,
  triggerTasks,
} from './checkpoint-coordinator-support.js';
import { CheckpointFailureManager } from './checkpoint-failure-manager.js';
import type { CheckpointPlan } from './checkpoint-plan.js';
import { CheckpointRequestDecider } from './checkpoint-request-decider.js';
import type { CheckpointTriggerRequest } from './checkpoint-request-decider.js';
import type { CheckpointStatsTracker } from './checkpoint-stats-tracker.js';
import { CheckpointException, SavepointFormatType, SnapshotType } from './checkpoint-types.js';
import type { CheckpointFailureReason, CheckpointMetrics, CheckpointType } from './checkpoint-types.js';
import type { CompletedCheckpoint } from './completed-checkpoint.js';
import type { CompletedCheckpointStore } from './completed-checkpoint-store.js';
import { TaskAcknowledgeResult } from './pending-checkpoint.js';
import type { PendingCheckpoint } from './pending-checkpoint.js';
import { PeriodicCheckpointTrigger, randomInitialDelay } from './periodic-checkpoint-trigger.js';

/** Checkpoint IDs remembered after they left the pending set, to tell late messages from unknown ones. */
const NUM_GHOST_CHECKPOINT_IDS = 16;

/**
 * Coordinates the snapshots of one job (Flink's CheckpointCoordinator): triggers checkpoints
 * periodically or on request and savepoints on request, collects the tasks' acknowledgements,
 * completes a snapshot when every task acknowledged (writes `_metadata`, adds checkpoints to the
 * completed checkpoint store, notifies the tasks), and aborts it on decline, timeout, subsumption or
 * shutdown (disposing its location, notifying the tasks). Failures count against the job's
 * tolerance through a {@link CheckpointFailureManager}; everything is reported to the stats tracker.
 *
 * Triggering follows Flink: requests are queued and executed one at a time; at most
 * `maxConcurrentCheckpoints` checkpoints are pending (savepoints are exempt); a periodic trigger
 * arriving within `minPauseBetweenCheckpoints` of the last completion is rejected and the
 * scheduler rescheduled. Intermediate savepoints are neither added to the store nor committed
 * (no `notifyCheckpointComplete`); synchronous savepoints are committed but, as in Flink, not
 * added to the store either.
 */
export class CheckpointCoordinator {
  /** Deletions of aborted checkpoints still running; shutdown waits for them. */
  private readonly disposals = new Set<Promise<void>>();
  private readonly options: CompiledCheckpointCoordinatorOptions;
  private readonly failureManager: CheckpointFailureManager;
  private readonly requestDecider: CheckpointRequestDecider;
  private readonly pendingCheckpoints = new Map<number, PendingCheckpoint>();
  private readonly recentPendingCheckpoints: number[] = [];
  private isTriggering = false;
  private isShutDown = false;
  private shutdownResult: Promise<void> | undefined;
  private periodicScheduling = false;
  private readonly periodicTrigger: PeriodicCheckpointTrigger;
  private lastCheckpointCompletionRelativeTime = Number.NEGATIVE_INFINITY;
  private requestSequence = 0;

  constructor(options: CheckpointCoordinatorOptions) {
    this.options = compileCheckpointCoordinatorOptions(options);
    const config = this.options.configuration;
    this.failureManager = new CheckpointFailureManager(
      config.getTolerableCheckpointFailureNumber(),
      this.options.failJob,
    );
    this.requestDecider = new CheckpointRequestDecider({
      maxConcurrentCheckpoints: config.getMaxConcurrentCheckpoints(),
      minPauseBetweenCheckpoints: config.getMinPauseBetweenCheckpoints(),
      rescheduleTrigger: (delayMs) => {
        this.rescheduleTrigger(delayMs);
      },
      clock: this.options.clock,
      numberOfPendingCheckpoints: () => this.pendingCheckpoints.size,
      maxQueuedRequests: this.options.maxQueuedRequests,
    });
    this.periodicTrigger = new PeriodicCheckpointTrigger(
      this.options.clock,
      this.options.executor,
      config.getCheckpointInterval(),
      () => {
        // Nobody awaits a periodic checkpoint; failures reach the stats and the failure manager.
        this.triggerCheckpoint(true).catch(() => undefined);
      },
    );
  }

  /**
   * Triggers a checkpoint. With a boolean: whether it is periodic (a periodic one fails with
   * PERIODIC_SCHEDULER_SHUTDOWN unless the scheduler runs). With a CheckpointType: CHECKPOINT is a
   * manual checkpoint, SAVEPOINT a savepoint to the default directory. Resolves when it completes.
   */
  triggerCheckpoint(isPeriodic: boolean): Promise<CompletedCheckpoint>;
  triggerCheckpoint(checkpointType: CheckpointType): Promise<CompletedCheckpoint>;
  triggerCheckpoint(arg: boolean | CheckpointType): Promise<CompletedCheckpoint> {
    if (typeof arg === 'boolean') return this.triggerRequest(SnapshotType.CHECKPOINT, arg);
    switch (arg) {
      case 'CHECKPOINT':
        return this.triggerRequest(SnapshotType.CHECKPOINT, false);
      case 'SAVEPOINT':
        return this.triggerSavepoint(null);
    }
  }

  /**
   * Triggers a savepoint into `targetLocation` (null: the configured default directory; the trigger
   * fails when there is none). Savepoints are not limited by max concurrent checkpoints or min pause.
   */
  triggerSavepoint(
    targetLocation: string | null,
    formatType: SavepointFormatType = SavepointFormatType.CANONICAL,
  ): Promise<CompletedCheckpoint> {
    return this.triggerRequest(SnapshotType.SAVEPOINT, false, { targetLocation, formatType });
  }

  /** Triggers the synchronous savepoint of stop-with-savepoint; with `drain`, sources end their input first. */
  triggerSynchronousSavepoint(
    drain: boolean,
    targetLocation: string | null,
    formatType: SavepointFormatType = SavepointFormatType.CANONICAL,
  ): Promise<CompletedCheckpoint> {
    return this.triggerRequest(SnapshotType.SYNC_SAVEPOINT, false, { targetLocation, formatType, drain });
  }

  private triggerRequest(
    snapshotType: SnapshotType,
    isPeriodic: boolean,
    savepoint?: { targetLocation: string | null; formatType: SavepointFormatType; drain?: boolean },
  ): Promise<CompletedCheckpoint> {
    const request: CheckpointTriggerRequest = {
      snapshotType,
      savepointFormat: savepoint?.formatType ?? null,
      drain: savepoint?.drain ?? false,
      targetLocation: savepoint?.targetLocation ?? null,
      isPeriodic,
      timestamp: this.options.clock.absoluteTimeMillis(),
      sequence: this.requestSequence++,
      completion: deferred<CompletedCheckpoint>(),
    };
    const toExecute = this.requestDecider.chooseRequestToExecute(
      request,
      this.isTriggering,
      this.lastCheckpointCompletionRelativeTime,
    );
    if (toExecute !== undefined) void this.triggerCheckpointAsync(toExecute);
    return request.completion.promise;
  }

  /** Never rejects: every failure ends in {@link onTriggerFailure}. */
  private async triggerCheckpointAsync(request: CheckpointTriggerRequest): Promise<void> {
    let pending: PendingCheckpoint | undefined;
    try {
      this.preCheckGlobalState(request.isPeriodic);
      this.isTriggering = true;
      const timestamp = this.options.clock.absoluteTimeMillis();
      const plan = this.options.planCalculator.calculateCheckpointPlan();
      const checkpointId = await this.options.checkpointIdCounter.getAndIncrement();
      const created = this.createPendingCheckpoint(request, plan, checkpointId, timestamp);
      pending = created;
      const location = await initializeCheckpointLocation(this.options, request, checkpointId);
      if (!pending.setCheckpointStorageLocation(location)) {
        // Aborted while the location was created (timeout, decline, shutdown): already reported.
        this.trackDisposal(location.dispose().catch(() => undefined));
      } else {
        triggerTasks(request, created, location, (error) => {
          if (!created.isDisposed() && !created.isFinalizing()) {
            this.abortPendingCheckpoint(created, toCheckpointException(error, 'TRIGGER_CHECKPOINT_FAILURE'));
          }
        });
        this.maybeCompleteCheckpoint(pending);
      }
      this.onTriggerFinished();
    } catch (error) {
      this.onTriggerFailure(request, pending, error);
    }
  }

  private preCheckGlobalState(isPeriodic: boolean): void {
    if (this.isShutDown) throw new CheckpointException('CHECKPOINT_COORDINATOR_SHUTDOWN');
    if (isPeriodic && !this.periodicScheduling) throw new CheckpointException('PERIODIC_SCHEDULER_SHUTDOWN');
  }

  private createPendingCheckpoint(
    request: CheckpointTriggerRequest,
    plan: CheckpointPlan,
    checkpointId: number,
    timestamp: number,
  ): PendingCheckpoint {
    this.preCheckGlobalState(request.isPeriodic);
    const pending = createPendingCheckpoint(this.options, request, plan, checkpointId, timestamp);
    this.pendingCheckpoints.set(checkpointId, pending);
    const canceller = this.options.executor.schedule(() => {
      if (!pending.isDisposed() && !pending.isFinalizing()) {
        this.abortPendingCheckpoint(pending, new CheckpointException('CHECKPOINT_EXPIRED'));
      }
    }, this.options.configuration.getCheckpointTimeout());
    if (!pending.setCancellerHandle(canceller)) canceller.cancel();
    return pending;
  }

  private onTriggerFinished(): void {
    this.isTriggering = false;
    this.executeQueuedRequest();
  }

  /** The trigger failed; `pending` is set when the checkpoint got as far as being pending. */
  private onTriggerFailure(
    request: CheckpointTriggerRequest,
    pending: PendingCheckpoint | undefined,
    error: unknown,
  ): void {
    const exception = toCheckpointException(error, 'TRIGGER_CHECKPOINT_FAILURE');
    try {
      if (pending !== undefined) {
        this.abortPendingCheckpoint(pending, exception);
      } else {
        request.completion.reject(exception);
        this.options.statsTracker.reportFailedWithoutInProgress();
        this.failureManager.handleJobLevelCheckpointException(exception, undefined, request.snapshotType);
      }
    } finally {
      this.onTriggerFinished();
    }
  }

  private executeQueuedRequest(): void {
    if (this.isShutDown) return;
    const request = this.requestDecider.chooseQueuedRequestToExecute(
      this.isTriggering,
      this.lastCheckpointCompletionRelativeTime,
    );
    if (request !== undefined) void this.triggerCheckpointAsync(request);
  }

  /**
   * A task acknowledged `checkpointId` with its state. Duplicate, unknown and late
   * acknowledgements are ignored. Returns whether the message belonged to a pending or recently
   * pending checkpoint.
   */
  receiveAcknowledgeMessage(
    attemptId: ExecutionAttemptID,
    checkpointId: number,
    metrics: CheckpointMetrics,
    subtaskState?: TaskStateSnapshot | null,
  ): boolean {
    if (this.isShutDown) return false;
    const pending = this.pendingCheckpoints.get(checkpointId);
    if (pending === undefined || pending.isDisposed()) {
      return this.recentPendingCheckpoints.includes(checkpointId);
    }
    if (
      !pending.isFinalizing() &&
      this.options.clock.absoluteTimeMillis() - pending.timestamp >
        this.options.configuration.getCheckpointTimeout()
    ) {
      // Past the deadline, though the timeout timer could not run yet (a busy event loop): an
      // acknowledgement arriving now is too late, as it would be for Flink's timer thread.
      this.abortPendingCheckpoint(pending, new CheckpointException('CHECKPOINT_EXPIRED'));
      return true;
    }
    const task = pending.getTask(attemptId);
    const result = pending.acknowledgeTask(attemptId, subtaskState ?? undefined);
    if (result === TaskAcknowledgeResult.SUCCESS && task !== undefined) {
      this.options.statsTracker.reportSubtaskStats(
        checkpointId,
        task.jobVertexId,
        task.subtaskIndex,
        this.options.clock.absoluteTimeMillis(),
        metrics,
      );
      this.maybeCompleteCheckpoint(pending);
    }
    return true;
  }

  /** A task declined `checkpointId`: the checkpoint is aborted with `reason` (CHECKPOINT_DECLINED counts). */
  receiveDeclineMessage(
    attemptId: ExecutionAttemptID,
    checkpointId: number,
    reason: CheckpointFailureReason,
    cause?: unknown,
  ): void {
    if (this.isShutDown) return;
    const pending = this.pendingCheckpoints.get(checkpointId);
    if (pending === undefined || pending.isDisposed() || pending.isFinalizing()) return;
    const exception = new CheckpointException(reason, cause !== undefined ? { cause } : undefined);
    this.abortPendingCheckpoint(pending, exception, attemptId);
  }

  private maybeCompleteCheckpoint(pending: PendingCheckpoint): void {
    if (pending.isFullyAcknowledged() && !this.isShutDown) void this.completePendingCheckpoint(pending);
  }

  /** Never rejects: a failure aborts the checkpoint with FINALIZE_CHECKPOINT_FAILURE. */
  private async completePendingCheckpoint(pending: PendingCheckpoint): Promise<void> {
    const checkpointId = pending.checkpointId;
    let completed: CompletedCheckpoint;
    try {
      completed = await pending.finalizeCheckpoint(this.options.clock.absoluteTimeMillis(), () => {
        this.options.statsTracker.reportDiscarded(checkpointId);
      });
      if (this.abortIfShutDown(pending)) return;
      if (!pending.isSavepoint())
        await this.options.completedCheckpointStore.addCheckpointAndSubsumeOldestOne(completed);
      if (this.abortIfShutDown(pending)) return;
    } catch (error) {
      this.abortPendingCheckpoint(
        pending,
        new CheckpointException('FINALIZE_CHECKPOINT_FAILURE', { cause: error }),
      );
      return;
    }

    pending.markCompleted(completed);
    this.pendingCheckpoints.delete(checkpointId);
    this.rememberRecentCheckpointId(checkpointId);
    this.options.statsTracker.reportCompleted(checkpointId, completed.externalPointer);
    this.failureManager.handleCheckpointSuccess(checkpointId);
    this.lastCheckpointCompletionRelativeTime = this.options.clock.relativeTimeMillis();
    if (!pending.isSavepoint() || pending.snapshotType === SnapshotType.SYNC_SAVEPOINT) {
      this.abortPendingCheckpointsWhere(
        (other) => other.checkpointId < checkpointId && other.canBeSubsumed(),
        new CheckpointException('CHECKPOINT_SUBSUMED'),
      );
      notifyCheckpointComplete(pending.plan.tasksToCommitTo, checkpointId, completed.timestamp);
    }
    this.executeQueuedRequest();
  }

  private abortIfShutDown(pending: PendingCheckpoint): boolean {
    if (!this.isShutDown) return false;
    this.abortPendingCheckpoint(pending, new CheckpointException('CHECKPOINT_COORDINATOR_SHUTDOWN'));
    return true;
  }

  /** Aborts every pending checkpoint (those being finalized complete or fail on their own). */
  abortPendingCheckpoints(reason: CheckpointException | CheckpointFailureReason): void {
    const exception = reason instanceof CheckpointException ? reason : new CheckpointException(reason);
    this.abortPendingCheckpointsWhere(() => true, exception);
  }

  /** A task failed: aborts (TASK_FAILURE) the pending checkpoints it has not acknowledged. */
  failUnacknowledgedPendingCheckpointsFor(attemptId: ExecutionAttemptID, cause: unknown): void {
    this.abortPendingCheckpointsWhere(
      (pending) => !pending.isAcknowledgedBy(attemptId),
      new CheckpointException('TASK_FAILURE', { cause }),
    );
  }

  private abortPendingCheckpointsWhere(
    predicate: (pending: PendingCheckpoint) => boolean,
    exception: CheckpointException,
  ): void {
    const toAbort = [...this.pendingCheckpoints.values()].filter(
      (pending) => !pending.isFinalizing() && predicate(pending),
    );
    for (const pending of toAbort) this.abortPendingCheckpoint(pending, exception);
  }

  /**
   * Aborts one checkpoint: disposes its location, reports the failure (stats, failure manager as a
   * task-level failure when `attemptId` declined it), notifies the tasks and triggers what waits.
   */
  private abortPendingCheckpoint(
    pending: PendingCheckpoint,
    exception: CheckpointException,
    attemptId?: ExecutionAttemptID,
  ): void {
    if (!pending.abort(exception)) return;
    this.trackDisposal(pending.getDisposalFuture());
    const checkpointId = pending.checkpointId;
    this.pendingCheckpoints.delete(checkpointId);
    this.rememberRecentCheckpointId(checkpointId);
    this.options.statsTracker.reportFailed(
      checkpointId,
      this.options.clock.absoluteTimeMillis(),
      exception.message,
    );
    notifyCheckpointAborted(
      pending.plan.tasksToCommitTo,
      checkpointId,
      this.options.completedCheckpointStore.getLatestCheckpointId(),
    );
    try {
      this.failureManager.handleCheckpointException(exception, checkpointId, pending.snapshotType, attemptId);
    } finally {
      this.executeQueuedRequest();
    }
  }

  private rememberRecentCheckpointId(checkpointId: number): void {
    this.recentPendingCheckpoints.push(checkpointId);
    this.recentPendingCheckpoints.splice(0, this.recentPendingCheckpoints.length - NUM_GHOST_CHECKPOINT_IDS);
  }

  /**
   * Starts periodic checkpoints every `checkpointInterval`, the first after a random delay in
   * [min pause, interval]. Stops a running scheduler first (which aborts pending checkpoints).
   */
  startCheckpointScheduler(): void {
    if (this.isShutDown) throw new IllegalStateError('Checkpoint coordinator is shut down.');
    if (!this.options.configuration.isCheckpointingEnabled()) {
      throw new IllegalStateError(
        'Can not start checkpoint scheduler, if no periodic checkpointing is configured.',
      );
    }
    this.stopCheckpointScheduler();
    this.periodicScheduling = true;
    const config = this.options.configuration;
    this.periodicTrigger.schedule(
      randomInitialDelay(
        config.getCheckpointInterval(),
        config.getMinPauseBetweenCheckpoints(),
        this.options.random,
      ),
    );
  }

  /** Stops periodic checkpoints and aborts queued and pending ones (CHECKPOINT_COORDINATOR_SUSPEND). */
  stopCheckpointScheduler(): void {
    this.periodicScheduling = false;
    this.periodicTrigger.cancel();
    const exception = new CheckpointException('CHECKPOINT_COORDINATOR_SUSPEND');
    this.requestDecider.abortAll(exception);
    this.abortPendingCheckpointsWhere(() => true, exception);
  }

  isPeriodicCheckpointingStarted(): boolean {
    return this.periodicScheduling;
  }

  private rescheduleTrigger(delayMs: number): void {
    if (this.periodicScheduling) this.periodicTrigger.schedule(delayMs);
  }

  /**
   * The latest completed checkpoint to restore from (never an intermediate savepoint), or
   * undefined. Reports the restore to the stats tracker.
   */
  restoreLatestCheckpointedState(): CompletedCheckpoint | undefined {
    if (this.isShutDown) throw new IllegalStateError('CheckpointCoordinator is shut down.');
    const latest = this.options.completedCheckpointStore.getLatestCheckpoint();
    if (latest !== undefined) {
      this.options.statsTracker.reportRestored({
        checkpointId: latest.checkpointId,
        restoreTimestamp: this.options.clock.absoluteTimeMillis(),
        isSavepoint: latest.isSavepoint(),
        externalPath: latest.externalPointer,
      });
    }
    return latest;
  }

  /**
   * Shuts down: stops the scheduler, aborts queued and pending snapshots
   * (CHECKPOINT_COORDINATOR_SHUTDOWN), then shuts down the store (discarding checkpoints unless the
   * retention policy keeps them for `jobStatus`) and the ID counter. Idempotent.
   */
  shutdown(jobStatus: JobStatus): Promise<void> {
    if (this.shutdownResult === undefined) {
      this.isShutDown = true;
      this.periodicScheduling = false;
      this.periodicTrigger.cancel();
      const exception = new CheckpointException('CHECKPOINT_COORDINATOR_SHUTDOWN');
      this.requestDecider.abortAll(exception);
      this.abortPendingCheckpointsWhere(() => true, exception);
      const retention = this.options.configuration.getCheckpointRetentionPolicy();
      this.shutdownResult = (async () => {
        // The job's end is reported only once the files of aborted checkpoints are gone.
        await Promise.all([...this.disposals]);
        await this.options.completedCheckpointStore.shutdown(jobStatus, retention);
        await this.options.checkpointIdCounter.shutdown(jobStatus);
      })();
    }
    return this.shutdownResult;
  }

  private trackDisposal(disposal: Promise<void>): void {
    this.disposals.add(disposal);
    void disposal.then(() => this.disposals.delete(disposal));
  }

  isShutdown(): boolean {
    return this.isShutDown;
  }

  getCheckpointStore(): CompletedCheckpointStore {
    return this.options.completedCheckpointStore;
  }

  getStatsTracker(): CheckpointStatsTracker {
    return this.options.statsTracker;
  }

  /** Pending checkpoints, including those whose `_metadata` is being written. */
  getNumberOfPendingCheckpoints(): number {
    return this.pendingCheckpoints.size;
  }

  /** IDs of the pending checkpoints, ascending. */
  getPendingCheckpointIds(): number[] {
    return [...this.pendingCheckpoints.keys()].sort((a, b) => a - b);
  }

  getNumQueuedRequests(): number {
    return this.requestDecider.getNumQueuedRequests();
  }

  getNumberOfRetainedSuccessfulCheckpoints(): number {
    return this.options.completedCheckpointStore.getNumberOfRetainedCheckpoints();
  }
}
