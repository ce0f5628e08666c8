import { Acknowledge, deferred } from '../core/async.js';
import type { Clock, ScheduledExecutor } from '../core/clock.js';
import { Configuration } from '../core/configuration.js';
import { ComponentClosedError, EddyError, SerializedError } from '../core/errors.js';
import { JobMasterId, ResourceID } from '../core/ids.js';
import type { ExecutionAttemptID, JobID } from '../core/ids.js';
import type {
  CheckpointFailureReason,
  CheckpointMetrics,
  SavepointFormatType,
} from '../checkpoint/checkpoint-types.js';
import { createCheckpointStorage } from '../checkpoint/storage/checkpoint-storage-options.js';
import type { TaskStateSnapshot } from '../state/state-handles.js';
import type { TaskManagerLocation } from '../core/task-manager-location.js';
import type {
  ArchivedExecutionGraph,
  ArchivedExecutionGraphJson,
} from '../executiongraph/archived-execution-graph.js';
import { DefaultExecutionGraph } from '../executiongraph/default-execution-graph.js';
import type { JobStatus } from '../executiongraph/job-status.js';
import type { JobGraph } from '../jobgraph/job-graph.js';
import type { ResourceManagerGateway } from '../resourcemanager/resource-manager-gateway.js';
import type { RpcService } from '../rpc/rpc-service.js';
import { DefaultScheduler } from '../scheduler/default-scheduler.js';
import { EXCEPTION_HISTORY_SIZE } from '../scheduler/exception-history.js';
import { createRestartBackoffTimeStrategyFactory } from '../scheduler/failover/restart-backoff-time-strategy-factory-loader.js';
import { SlotSharingExecutionSlotAllocator } from '../scheduler/slot-sharing-execution-slot-allocator.js';
import type { SlotOffer } from '../taskexecutor/slot-types.js';
import type { TaskExecutionState } from '../taskexecutor/task-execution-state.js';
import type { TaskExecutorGateway } from '../taskexecutor/task-executor-gateway.js';
import type { JobMasterGateway } from './job-master-gateway.js';
import { ATTEMPTS_HISTORY_SIZE, DEFAULT_PARALLELISM, SLOT_REQUEST_TIMEOUT } from './job-master-options.js';
import { SlotPool } from './slotpool/slot-pool.js';

export interface JobMasterServices {
  readonly rpcService: RpcService;
  readonly resourceManagerAddress: string;
  /** The cluster's configuration; the job's own configuration overrides it. */
  readonly clusterConfiguration: Configuration;
  readonly clock: Clock;
  readonly executor: ScheduledExecutor;
  /** When the job was submitted (its INITIALIZING timestamp). */
  readonly initializationTimestamp?: number;
}

/**
 * The JobMaster of one job (Flink's JobMaster): builds its execution graph, runs its scheduler,
 * holds its slots, and is the gateway its TaskExecutors report to. It ends when the job reaches a
 * terminal status: its slots go back, and the archived graph is its result.
 */
export class JobMaster implements JobMasterGateway {
  readonly jobMasterId = JobMasterId.generate();
  readonly resourceId = ResourceID.generate();
  private readonly scheduler: DefaultScheduler;
  private readonly slotPool: SlotPool;
  private readonly allocator: SlotSharingExecutionSlotAllocator;
  private readonly result = deferred<ArchivedExecutionGraph>();
  private resourceManager: ResourceManagerGateway | undefined;
  private address: string | undefined;
  private started = false;

  constructor(
    private readonly jobGraph: JobGraph,
    private readonly services: JobMasterServices,
  ) {
    const configuration = new Configuration(services.clusterConfiguration).addAll(
      jobGraph.getJobConfiguration(),
    );
    const graph = DefaultExecutionGraph.build(jobGraph, {
      defaultParallelism: configuration.get(DEFAULT_PARALLELISM),
      attemptsHistorySize: configuration.get(ATTEMPTS_HISTORY_SIZE),
      clock: services.clock,
      ...(services.initializationTimestamp !== undefined
        ? { initializationTimestamp: services.initializationTimestamp }
        : {}),
    });
    const restartStrategy = createRestartBackoffTimeStrategyFactory(
      jobGraph.getJobConfiguration(),
      services.clusterConfiguration,
      jobGraph.isCheckpointingEnabled(),
      services.clock,
    ).create();
    this.slotPool = new SlotPool({
      jobId: jobGraph.getJobID(),
      jobMasterId: this.jobMasterId,
      slotRequestTimeoutMs: configuration.get(SLOT_REQUEST_TIMEOUT),
      executor: services.executor,
      connectTaskExecutor: (address) => services.rpcService.connect<TaskExecutorGateway>(address),
    });
    this.allocator = new SlotSharingExecutionSlotAllocator(this.slotPool);
    this.scheduler = new DefaultScheduler({
      graph,
      configuration,
      jobMasterId: this.jobMasterId,
      slotAllocator: this.allocator,
      restartStrategy,
      executor: services.executor,
      clock: services.clock,
      exceptionHistorySize: configuration.get(EXCEPTION_HISTORY_SIZE),
      ...(jobGraph.getCheckpointingSettings() !== undefined ||
      jobGraph.getSavepointRestoreSettings().restoreSavepoint()
        ? { checkpointStorage: createCheckpointStorage(configuration) }
        : {}),
    });
    void this.scheduler.getJobTerminationFuture().then((status) => this.onJobTerminated(status));
    this.scheduler.onDeploymentFailure = (taskExecutor, cause) => {
      // A TaskExecutor that is gone or shut down cannot take tasks again: drop its slots.
      const name = cause instanceof Error ? cause.name : '';
      if (name === 'ComponentClosedError' || name === 'RpcConnectionError') {
        void this.disconnectTaskManager(taskExecutor, SerializedError.from(cause));
      }
    };
  }

  getJobId(): JobID {
    return this.jobGraph.getJobID();
  }
  getScheduler(): DefaultScheduler {
    return this.scheduler;
  }
  getAddress(): string | undefined {
    return this.address;
  }

  /** Serves RPCs, registers with the ResourceManager and starts scheduling. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.address = this.services.rpcService.startServer(`jobmanager_${this.jobGraph.getJobID()}`, this);
    this.slotPool.setJobMasterAddress(this.address);
    this.resourceManager = await this.services.rpcService.connect<ResourceManagerGateway>(
      this.services.resourceManagerAddress,
    );
    if (this.scheduler.getExecutionGraph().isTerminal()) return; // cancelled while starting
    const response = await this.resourceManager.registerJobMaster(
      this.jobMasterId,
      this.resourceId,
      this.address,
      this.getJobId(),
    );
    if (response.type !== 'success')
      throw new EddyError(`The ResourceManager rejected the JobMaster: ${response.reason}`);
    if (this.scheduler.getExecutionGraph().isTerminal()) {
      // Cancelled while registering: take the registration back.
      await this.resourceManager
        .disconnectJobManager(this.getJobId(), this.jobMasterId)
        .catch(() => undefined);
      return;
    }
    this.slotPool.connectToResourceManager(this.resourceManager);
    this.scheduler.startScheduling();
  }

  /** Resolves with the archived graph once the job is terminal. */
  getResultFuture(): Promise<ArchivedExecutionGraph> {
    return this.result.promise;
  }

  updateTaskExecutionState(state: TaskExecutionState): Promise<boolean> {
    return Promise.resolve(this.scheduler.updateTaskExecutionState(state));
  }

  offerSlots(taskManager: TaskManagerLocation, offers: readonly SlotOffer[]): Promise<SlotOffer[]> {
    return this.slotPool.offerSlots(taskManager, offers);
  }

  disconnectTaskManager(resourceId: ResourceID, cause: SerializedError): Promise<Acknowledge> {
    const lost = this.slotPool.releaseTaskManager(resourceId);
    this.allocator.forgetAllocations(lost);
    this.scheduler.failExecutionsInSlots(new Set(lost), SerializedError.toError(cause));
    return Promise.resolve(Acknowledge.get());
  }

  acknowledgeCheckpoint(
    executionAttemptId: ExecutionAttemptID,
    checkpointId: number,
    metrics: CheckpointMetrics,
    snapshot: TaskStateSnapshot,
  ): Promise<void> {
    this.scheduler.acknowledgeCheckpoint(executionAttemptId, checkpointId, metrics, snapshot);
    return Promise.resolve();
  }

  declineCheckpoint(
    executionAttemptId: ExecutionAttemptID,
    checkpointId: number,
    reason: CheckpointFailureReason,
    cause?: SerializedError,
  ): Promise<void> {
    this.scheduler.declineCheckpoint(
      executionAttemptId,
      checkpointId,
      reason,
      cause === undefined ? undefined : SerializedError.toError(cause),
    );
    return Promise.resolve();
  }

  /** Triggers a checkpoint; resolves with its ID once completed. */
  async triggerCheckpoint(): Promise<number> {
    return (await this.scheduler.triggerCheckpoint()).checkpointId;
  }

  /** Triggers a savepoint into `targetDirectory` (or the configured default); resolves with its path. */
  triggerSavepoint(targetDirectory: string | null, formatType: SavepointFormatType): Promise<string> {
    return this.scheduler.triggerSavepoint(targetDirectory, formatType);
  }

  /** Stops the job with a savepoint (draining first with `drain`); resolves with its path. */
  stopWithSavepoint(targetDirectory: string | null, drain: boolean): Promise<string> {
    return this.scheduler.stopWithSavepoint(targetDirectory, drain);
  }

  requestJobStatus(): Promise<JobStatus> {
    return Promise.resolve(this.scheduler.requestJobStatus());
  }

  requestJob(): Promise<ArchivedExecutionGraphJson> {
    return Promise.resolve(this.scheduler.requestJob().toJson());
  }

  /** The archived graph now, without an RPC (for the in-process Dispatcher). */
  archive(): ArchivedExecutionGraph {
    return this.scheduler.requestJob();
  }

  cancel(): Promise<Acknowledge> {
    this.scheduler.cancel();
    return Promise.resolve(Acknowledge.get());
  }

  /** Ends the job SUSPENDED (locally terminal; it stays recoverable). */
  suspend(): Promise<Acknowledge> {
    this.scheduler.suspend();
    return Promise.resolve(Acknowledge.get());
  }

  /** Cancels the job if it still runs and waits for its end. */
  async closeAsync(): Promise<void> {
    this.scheduler.cancel();
    await this.result.promise;
  }

  private async onJobTerminated(status: JobStatus): Promise<void> {
    const archived = this.scheduler.requestJob();
    await this.scheduler.closeAsync().catch(() => undefined);
    await this.slotPool.close(new ComponentClosedError(`Job ${this.getJobId()} reached ${status}.`));
    await this.resourceManager
      ?.disconnectJobManager(this.getJobId(), this.jobMasterId)
      .catch(() => undefined);
    if (this.address !== undefined) this.services.rpcService.stopServer(this.address);
    this.result.resolve(archived);
  }
}
