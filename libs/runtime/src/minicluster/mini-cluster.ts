import type { SavepointFormatType } from '../checkpoint/checkpoint-types.js';
import { FS_SMALL_FILE_THRESHOLD } from '../checkpoint/storage/checkpoint-storage-options.js';
import type { Acknowledge } from '../core/async.js';
import { SystemClock, SystemScheduledExecutor } from '../core/clock.js';
import type { Clock, ScheduledExecutor } from '../core/clock.js';
import { IllegalStateError } from '../core/errors.js';
import type { JobID } from '../core/ids.js';
import { LibraryCacheManager } from '../blob/library-cache-manager.js';
import { Dispatcher } from '../dispatcher/dispatcher.js';
import type { JobStatusMessage } from '../dispatcher/dispatcher.js';
import { JobSubmissionResult } from '../dispatcher/job-result.js';
import type { JobResult } from '../dispatcher/job-result.js';
import type { ExecutionGraphInfoStore, ExecutionPlanStore, JobResultStore } from '../dispatcher/stores.js';
import { defaultInvokableRegistry } from '../execution/invokable-registry.js';
import type { InvokableRegistry } from '../execution/invokable-registry.js';
import type { ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.js';
import type { JobStatus } from '../executiongraph/job-status.js';
import { LocalShuffleEnvironment } from '../io/network/local-shuffle-environment.js';
import { ResultPartitionManager } from '../io/network/result-partition-manager.js';
import type { JobGraph } from '../jobgraph/job-graph.js';
import { ResourceManager } from '../resourcemanager/resource-manager.js';
import { LocalRpcService } from '../rpc/rpc-service.js';
import type { RpcService } from '../rpc/rpc-service.js';
import { TaskExecutor } from '../taskexecutor/task-executor.js';
import { RpcServiceSharing } from './mini-cluster-configuration.js';
import type { MiniClusterConfiguration } from './mini-cluster-configuration.js';

/** Optional collaborators of a MiniCluster (defaults: system clock and timers, in-memory stores). */
export interface MiniClusterServices {
  readonly clock?: Clock;
  readonly executor?: ScheduledExecutor;
  readonly invokableRegistry?: InvokableRegistry;
  readonly executionPlanStore?: ExecutionPlanStore;
  readonly jobResultStore?: JobResultStore;
  readonly executionGraphInfoStore?: ExecutionGraphInfoStore;
}

/**
 * A whole cluster in one process (Flink's MiniCluster): a ResourceManager, a Dispatcher that runs a
 * JobMaster per job, and `numTaskManagers` TaskExecutors with `numSlotsPerTaskManager` slots each,
 * talking through their gateways over local RPC, with in-memory data channels between tasks.
 */
export class MiniCluster {
  private rpcServices: RpcService[] = [];
  private resourceManager: ResourceManager | undefined;
  private dispatcher: Dispatcher | undefined;
  private taskExecutors: TaskExecutor[] = [];
  private running = false;
  private readonly clock: Clock;
  private readonly executor: ScheduledExecutor;

  constructor(
    private readonly configuration: MiniClusterConfiguration,
    private readonly services: MiniClusterServices = {},
  ) {
    this.clock = services.clock ?? SystemClock;
    this.executor = services.executor ?? SystemScheduledExecutor;
  }

  /** Starts the ResourceManager, the TaskExecutors (registered when this resolves) and the Dispatcher. */
  async start(): Promise<void> {
    if (this.running) throw new IllegalStateError('The MiniCluster is already running.');
    const configuration = this.configuration.getConfiguration();
    const addressBook = new Map<string, object>();
    const shared = new LocalRpcService(addressBook);
    const rpcServices: RpcService[] = [shared];
    const newRpcService = (): RpcService => {
      if (this.configuration.getRpcServiceSharing() === RpcServiceSharing.SHARED) return shared;
      const dedicated = new LocalRpcService(addressBook);
      rpcServices.push(dedicated);
      return dedicated;
    };
    const resourceManager = new ResourceManager(newRpcService(), this.clock);
    const resourceManagerAddress = resourceManager.start();
    const libraryCacheManager = new LibraryCacheManager(
      this.services.invokableRegistry ?? defaultInvokableRegistry,
    );
    // One partition manager: in one process, channels connect across TaskExecutors in memory.
    const partitionManager = new ResultPartitionManager(this.executor);
    const taskExecutors: TaskExecutor[] = [];
    for (let i = 0; i < this.configuration.getNumTaskManagers(); i++) {
      taskExecutors.push(
        new TaskExecutor(
          newRpcService(),
          {
            numberOfSlots: this.configuration.getNumSlotsPerTaskManager(),
            stateMemoryThresholdBytes: configuration.get(FS_SMALL_FILE_THRESHOLD).getBytes(),
            totalResourceProfile: this.configuration.getTaskManagerResources(),
            host: 'localhost',
          },
          new LocalShuffleEnvironment(configuration, partitionManager),
          libraryCacheManager,
          resourceManagerAddress,
        ),
      );
    }
    await Promise.all(taskExecutors.map((te) => te.start()));
    this.dispatcher = new Dispatcher({
      rpcService: shared,
      resourceManagerAddress,
      configuration,
      clock: this.clock,
      executor: this.executor,
      libraryCacheManager,
      ...(this.services.executionPlanStore !== undefined
        ? { executionPlanStore: this.services.executionPlanStore }
        : {}),
      ...(this.services.jobResultStore !== undefined ? { jobResultStore: this.services.jobResultStore } : {}),
      ...(this.services.executionGraphInfoStore !== undefined
        ? { executionGraphInfoStore: this.services.executionGraphInfoStore }
        : {}),
    });
    this.rpcServices = rpcServices;
    this.resourceManager = resourceManager;
    this.taskExecutors = taskExecutors;
    this.running = true;
  }

  isRunning(): boolean {
    return this.running;
  }

  /** Submits a job; resolves once the Dispatcher accepted it. */
  async submitJob(jobGraph: JobGraph): Promise<JobSubmissionResult> {
    await this.getDispatcher().submitJob(jobGraph);
    return new JobSubmissionResult(jobGraph.getJobID());
  }

  /** Resolves when the job is globally terminal. */
  requestJobResult(jobId: JobID): Promise<JobResult> {
    return this.getDispatcher().requestJobResult(jobId);
  }

  /** Submits a job and waits for its result (Flink's `executeJobBlocking`, without the throw). */
  async executeJob(jobGraph: JobGraph): Promise<JobResult> {
    const submission = await this.submitJob(jobGraph);
    return this.requestJobResult(submission.getJobID());
  }

  /** Triggers a checkpoint; resolves with its ID once completed. */
  triggerCheckpoint(jobId: JobID): Promise<number> {
    return this.getDispatcher().triggerCheckpoint(jobId);
  }

  /**
   * Triggers a savepoint into `targetDirectory` (null: `execution.checkpointing.savepoint-dir`);
   * resolves with the savepoint's path.
   */
  triggerSavepoint(
    jobId: JobID,
    targetDirectory: string | null,
    formatType: SavepointFormatType = 'CANONICAL',
  ): Promise<string> {
    return this.getDispatcher().triggerSavepoint(jobId, targetDirectory, formatType);
  }

  /** Stops the job with a savepoint (`drain`: sources end their input first); resolves with its path. */
  stopWithSavepoint(jobId: JobID, targetDirectory: string | null, drain = false): Promise<string> {
    return this.getDispatcher().stopWithSavepoint(jobId, targetDirectory, drain);
  }

  disposeSavepoint(savepointPath: string): Promise<Acknowledge> {
    return this.getDispatcher().disposeSavepoint(savepointPath);
  }

  cancelJob(jobId: JobID): Promise<Acknowledge> {
    return this.getDispatcher().cancelJob(jobId);
  }

  getJobStatus(jobId: JobID): Promise<JobStatus> {
    return this.getDispatcher().requestJobStatus(jobId);
  }

  listJobs(): Promise<JobStatusMessage[]> {
    return this.getDispatcher().listJobs();
  }

  /** The job's execution graph as it is now, or as it ended. */
  getExecutionGraph(jobId: JobID): Promise<ArchivedExecutionGraph> {
    return this.getDispatcher().requestJob(jobId);
  }

  getDispatcher(): Dispatcher {
    if (this.dispatcher === undefined || !this.running)
      throw new IllegalStateError('The MiniCluster is not running.');
    return this.dispatcher;
  }
  getResourceManager(): ResourceManager {
    if (this.resourceManager === undefined) throw new IllegalStateError('The MiniCluster is not running.');
    return this.resourceManager;
  }
  getTaskExecutors(): readonly TaskExecutor[] {
    return this.taskExecutors;
  }

  /**
   * Cancels running jobs (with `suspendJobs`: suspends them, keeping them recoverable from the
   * stores), waits for them, then stops TaskExecutors, ResourceManager and RPC.
   */
  async closeAsync(options: { readonly suspendJobs?: boolean } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    await this.dispatcher?.closeAsync({ suspend: options.suspendJobs === true });
    await Promise.all(this.taskExecutors.map((te) => te.closeAsync()));
    await this.resourceManager?.closeAsync();
    await Promise.all(this.rpcServices.map((service) => service.closeAsync()));
  }
}
