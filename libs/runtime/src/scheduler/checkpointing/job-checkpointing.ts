import { CheckpointCoordinator } from '../../checkpoint/checkpoint-coordinator.js';
import type { CheckpointFailureReason, CheckpointMetrics } from '../../checkpoint/checkpoint-types.js';
import { CompletedCheckpoint } from '../../checkpoint/completed-checkpoint.js';
import { StandaloneCheckpointIDCounter } from '../../checkpoint/checkpoint-id-counter.js';
import type { CheckpointStatsSnapshot } from '../../checkpoint/checkpoint-stats.js';
import { DefaultCheckpointStatsTracker } from '../../checkpoint/checkpoint-stats-tracker.js';
import { StandaloneCompletedCheckpointStore } from '../../checkpoint/completed-checkpoint-store.js';
import { assignTaskStates } from '../../checkpoint/state-assignment/state-assignment-operation.js';
import { MAX_RETAINED_CHECKPOINTS } from '../../checkpoint/storage/checkpoint-storage-options.js';
import { JOB_MANAGER_POINTER_PREFIX } from '../../checkpoint/storage/file-system-checkpoint-storage.js';
import type { CheckpointStorage } from '../../checkpoint/storage/checkpoint-storage.js';
import type { CheckpointMetadataJson } from '../../checkpoint/storage/checkpoint-storage.js';
import type { Clock, ScheduledExecutor } from '../../core/clock.js';
import type { Configuration } from '../../core/configuration.js';
import type { ExecutionAttemptID, JobVertexID } from '../../core/ids.js';
import type { DefaultExecutionGraph } from '../../executiongraph/default-execution-graph.js';
import type { Execution } from '../../executiongraph/execution.js';
import type { ExecutionVertex } from '../../executiongraph/execution-vertex.js';
import type { JobStatus } from '../../executiongraph/job-status.js';
import type { JobManagerTaskRestore, TaskStateSnapshot } from '../../state/state-handles.js';
import type { TaskExecutorGateway } from '../../taskexecutor/task-executor-gateway.js';
import { ExecutionGraphCheckpointPlanCalculator } from './execution-graph-checkpoint-plan-calculator.js';

/** The snapshot restored tasks start from: a completed checkpoint, or the job's savepoint. */
interface RestoreSource {
  readonly metadata: CheckpointMetadataJson;
  readonly baseDirectory: string | null;
  readonly allowNonRestoredState: boolean;
}

export interface JobCheckpointingOptions {
  readonly graph: DefaultExecutionGraph;
  readonly configuration: Configuration;
  readonly storage: CheckpointStorage;
  readonly gatewayOf: (execution: Execution) => TaskExecutorGateway | undefined;
  readonly failJob: (cause: Error) => void;
  readonly clock: Clock;
  readonly executor: ScheduledExecutor;
}

/**
 * The checkpointing of one job inside its scheduler: the CheckpointCoordinator, started and
 * stopped with the job's status, and the state restarted tasks restore — the latest completed
 * checkpoint, or (before the first one) the savepoint the job was submitted with, since a completed
 * checkpoint always takes precedence over that savepoint.
 */
export class JobCheckpointing {
  private readonly coordinator: CheckpointCoordinator;
  private readonly plan: ExecutionGraphCheckpointPlanCalculator;
  private savepoint: RestoreSource | undefined;
  private readonly store: StandaloneCompletedCheckpointStore;
  private readonly idCounter = new StandaloneCheckpointIDCounter();
  private readonly statsTracker = new DefaultCheckpointStatsTracker();
  private readonly periodic: boolean;

  constructor(private readonly options: JobCheckpointingOptions) {
    const settings = options.graph.getJobGraph().getCheckpointingSettings();
    const configuration = settings?.getCheckpointCoordinatorConfiguration();
    if (settings === undefined || configuration === undefined) {
      throw new RangeError('JobCheckpointing needs a job with checkpointing settings.');
    }
    this.periodic = configuration.isCheckpointingEnabled();
    this.plan = new ExecutionGraphCheckpointPlanCalculator(options.graph, options.gatewayOf);
    this.store = new StandaloneCompletedCheckpointStore(options.configuration.get(MAX_RETAINED_CHECKPOINTS));
    this.coordinator = new CheckpointCoordinator({
      jobId: options.graph.getJobID(),
      configuration,
      planCalculator: this.plan,
      storage: options.storage,
      failJob: options.failJob,
      completedCheckpointStore: this.store,
      checkpointIdCounter: this.idCounter,
      statsTracker: this.statsTracker,
      clock: options.clock,
      executor: options.executor,
    });
  }

  getCoordinator(): CheckpointCoordinator {
    return this.coordinator;
  }

  /** Loads the savepoint of the job's restore settings, if any (before the first deployment). */
  async loadInitialSavepoint(): Promise<void> {
    const settings = this.options.graph.getJobGraph().getSavepointRestoreSettings();
    const path = settings.getRestorePath();
    if (path === undefined) return;
    const location = await this.options.storage.resolveCheckpoint(path);
    this.savepoint = {
      metadata: location.metadata,
      baseDirectory: location.baseDirectory,
      allowNonRestoredState: settings.allowNonRestoredState(),
    };
    // Fails now (not at deployment) when the savepoint does not fit the job.
    assignTaskStates(
      location.metadata,
      location.baseDirectory,
      this.plan.getVertices(),
      settings.allowNonRestoredState(),
    );
    // New checkpoints continue after the restored one, as in Flink, so their IDs and files never collide.
    await this.idCounter.setCount(location.metadata.checkpointId + 1);
    this.statsTracker.reportRestored({
      checkpointId: location.metadata.checkpointId,
      restoreTimestamp: this.options.clock.absoluteTimeMillis(),
      isSavepoint: location.metadata.snapshotType !== 'CHECKPOINT',
      externalPath: location.externalPointer,
    });
    if (settings.getRecoveryClaimMode() === 'CLAIM') {
      // The job owns the snapshot now: it is subsumed (and deleted) like its own checkpoints.
      const storage = this.options.storage;
      await this.store.addCheckpointAndSubsumeOldestOne(
        new CompletedCheckpoint({
          jobId: this.options.graph.getJobID(),
          checkpointId: location.metadata.checkpointId,
          timestamp: location.metadata.timestamp,
          completionTimestamp: location.metadata.timestamp,
          snapshotType: 'CHECKPOINT',
          metadata: location.metadata,
          externalPointer: location.externalPointer,
          storageLocation: { dispose: () => storage.disposeSnapshot(location.externalPointer) },
        }),
      );
    }
  }

  /** The statistics of this job's checkpoints (Flink's CheckpointStatsSnapshot). */
  getStatsSnapshot(): CheckpointStatsSnapshot {
    return this.statsTracker.createSnapshot();
  }

  /** The job reached `status`: periodic checkpoints run only while it is RUNNING. */
  onJobStatus(status: JobStatus): void {
    if (!this.periodic) return;
    if (status === 'RUNNING') this.coordinator.startCheckpointScheduler();
    else this.coordinator.stopCheckpointScheduler();
  }

  /** Stops periodic triggering (stop-with-savepoint); `onJobStatus` starts it again. */
  pausePeriodicCheckpoints(): void {
    if (this.periodic) this.coordinator.stopCheckpointScheduler();
  }

  /** Tasks are being restarted: pending checkpoints cannot complete any more. */
  onFailover(): void {
    this.coordinator.abortPendingCheckpoints('JOB_FAILOVER_REGION');
  }

  /**
   * The restore of each of `vertices` (which are about to be deployed), from the latest completed
   * checkpoint or else the job's savepoint. Throws when the state cannot be assigned.
   */
  computeRestores(vertices: readonly ExecutionVertex[]): Map<ExecutionVertex, JobManagerTaskRestore> {
    const latest: CompletedCheckpoint | undefined = this.coordinator.restoreLatestCheckpointedState();
    const source: RestoreSource | undefined =
      latest !== undefined
        ? {
            metadata: latest.metadata,
            // File checkpoints are pointed at by their directory; in-memory ones keep state inline.
            baseDirectory: latest.externalPointer.startsWith(JOB_MANAGER_POINTER_PREFIX)
              ? null
              : latest.externalPointer,
            allowNonRestoredState: true,
          }
        : this.savepoint;
    const restores = new Map<ExecutionVertex, JobManagerTaskRestore>();
    if (source === undefined) return restores;
    const byVertex: Map<JobVertexID, JobManagerTaskRestore[]> = assignTaskStates(
      source.metadata,
      source.baseDirectory,
      this.plan.getVertices(),
      source.allowNonRestoredState,
    );
    for (const vertex of vertices) {
      const restore = byVertex.get(vertex.getJobVertex().getJobVertexId())?.[
        vertex.getParallelSubtaskIndex()
      ];
      if (restore !== undefined) restores.set(vertex, restore);
    }
    return restores;
  }

  acknowledge(
    attemptId: ExecutionAttemptID,
    checkpointId: number,
    metrics: CheckpointMetrics,
    snapshot: TaskStateSnapshot,
  ): void {
    this.coordinator.receiveAcknowledgeMessage(attemptId, checkpointId, metrics, snapshot);
  }

  decline(
    attemptId: ExecutionAttemptID,
    checkpointId: number,
    reason: CheckpointFailureReason,
    cause?: Error,
  ): void {
    this.coordinator.receiveDeclineMessage(attemptId, checkpointId, reason, cause);
  }

  /** The job ended: stop triggering and keep or delete checkpoints per the retention policy. */
  async shutdown(status: JobStatus): Promise<void> {
    await this.coordinator.shutdown(status);
  }
}
