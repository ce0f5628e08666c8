import { deferred } from '../core/async.js';
import type { Clock, ScheduledExecutor } from '../core/clock.js';
import type { Configuration } from '../core/configuration.js';
import { EddyError, SerializedError } from '../core/errors.js';
import type { ErrorInfo } from '../core/errors.js';
import type {
  ExecutionAttemptID,
  IntermediateResultPartitionID,
  JobMasterId,
  ResourceID,
  ResultPartitionID,
} from '../core/ids.js';
import { CheckpointException } from '../checkpoint/checkpoint-types.js';
import type {
  CheckpointFailureReason,
  CheckpointMetrics,
  CheckpointType,
  SavepointFormatType,
} from '../checkpoint/checkpoint-types.js';
import type { CompletedCheckpoint } from '../checkpoint/completed-checkpoint.js';
import type { CheckpointStorage } from '../checkpoint/storage/checkpoint-storage.js';
import type { JobManagerTaskRestore, TaskStateSnapshot } from '../state/state-handles.js';
import { JobCheckpointing } from './checkpointing/job-checkpointing.js';
import { ExecutionState } from '../execution/execution-state.js';
import type { ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.js';
import type { DefaultExecutionGraph } from '../executiongraph/default-execution-graph.js';
import type { Execution } from '../executiongraph/execution.js';
import type { ExecutionVertex } from '../executiongraph/execution-vertex.js';
import { JobStatus } from '../executiongraph/job-status.js';
import { isBlockingResult } from '../jobgraph/enums.js';
import type { PhysicalSlot } from '../jobmaster/slotpool/slot-pool.js';
import type { TaskExecutionState } from '../taskexecutor/task-execution-state.js';
import type { TaskExecutorGateway } from '../taskexecutor/task-executor-gateway.js';
import { ExceptionHistory } from './exception-history.js';
import { ExecutionFailureHandler, SuppressRestartsError } from './execution-failure-handler.js';
import type { FailureHandlingResult } from './execution-failure-handler.js';
import { createFailoverStrategy } from './failover/failover-strategy.js';
import type { RestartBackoffTimeStrategy } from './failover/restart-backoff-time-strategy.js';
import type { SchedulerNG } from './scheduler-ng.js';
import type { SlotSharingExecutionSlotAllocator } from './slot-sharing-execution-slot-allocator.js';
import { PipelinedRegionSchedulingStrategy } from './strategy/pipelined-region-scheduling-strategy.js';
import { PipelinedRegionTopology } from './strategy/pipelined-regions.js';
import { createTaskDeploymentDescriptor } from './task-deployment-descriptor-factory.js';

/** A task ended in a way nobody asked for (for example cancelled by its TaskExecutor). */
export class TaskFailureError extends EddyError {}

export interface DefaultSchedulerOptions {
  readonly graph: DefaultExecutionGraph;
  /** The effective configuration (cluster's, overridden by the job's): failover strategy and more. */
  readonly configuration: Configuration;
  readonly jobMasterId: JobMasterId;
  readonly slotAllocator: SlotSharingExecutionSlotAllocator;
  readonly restartStrategy: RestartBackoffTimeStrategy;
  readonly executor: ScheduledExecutor;
  readonly clock: Clock;
  /** Size of the exception history (`web.exception-history-size`). */
  readonly exceptionHistorySize: number;
  /** Called when the job reaches a terminal status, before the termination future completes. */
  readonly onTerminated?: (status: JobStatus) => void;
  /** Where snapshots go; needed when the job has checkpointing settings. */
  readonly checkpointStorage?: CheckpointStorage;
}

/** Called when a deployment to a TaskExecutor failed, so that a gone TaskExecutor can be dropped. */
export type DeploymentFailureListener = (taskExecutor: ResourceID, cause: unknown) => void;

interface DeployedPartitions {
  readonly gateway: TaskExecutorGateway;
  readonly partitionIds: ResultPartitionID[];
}

/**
 * Flink's DefaultScheduler: deploys pipelined regions when their inputs are ready, tracks every
 * execution's state, and on a failure asks the failover strategy which tasks to restart and the
 * restart strategy whether and when. The job is RESTARTING while restarted tasks wait for their
 * backoff, FAILING→FAILED when it may not restart, CANCELLING→CANCELED on cancel; a terminal status
 * is reached only after every task is terminal.
 */
export class DefaultScheduler implements SchedulerNG {
  private readonly graph: DefaultExecutionGraph;
  private readonly topology: PipelinedRegionTopology;
  private readonly strategy: PipelinedRegionSchedulingStrategy;
  private readonly failureHandler: ExecutionFailureHandler;
  private readonly exceptionHistory: ExceptionHistory;
  private readonly termination = deferred<JobStatus>();
  private readonly verticesWaitingForRestart = new Set<ExecutionVertex>();
  private readonly lostPartitions = new Set<IntermediateResultPartitionID>();
  /** BLOCKING partitions held by TaskExecutors, by producing attempt: released on restart and at the end. */
  private readonly blockingPartitions = new Map<Execution, DeployedPartitions>();
  /** Where each deployed, non-terminal attempt runs. */
  private readonly deployedTo = new Map<Execution, TaskExecutorGateway>();
  private nonTerminalExecutions: number;
  /** Set by suspend(): the cancelled job ends SUSPENDED instead of CANCELED. */
  private suspending = false;
  private finishedVertices = 0;
  private readonly checkpointing: JobCheckpointing | undefined;
  /** The state each vertex about to be deployed restores (set per deployed region). */
  private readonly restores = new Map<ExecutionVertex, JobManagerTaskRestore>();

  constructor(private readonly options: DefaultSchedulerOptions) {
    this.graph = options.graph;
    this.topology = new PipelinedRegionTopology(this.graph);
    this.strategy = new PipelinedRegionSchedulingStrategy(this, this.topology);
    const failover = createFailoverStrategy(
      options.configuration,
      this.topology,
      (id) => this.graph.getResultPartition(id)?.isFinished() === true && !this.lostPartitions.has(id),
    );
    this.failureHandler = new ExecutionFailureHandler(failover, options.restartStrategy, () =>
      this.graph.getAllExecutionVertices(),
    );
    this.exceptionHistory = new ExceptionHistory(options.exceptionHistorySize);
    this.nonTerminalExecutions = this.graph.getTotalNumberOfVertices();
    if (this.graph.getJobGraph().getCheckpointingSettings() !== undefined) {
      if (options.checkpointStorage === undefined)
        throw new RangeError('A checkpointed job needs checkpoint storage.');
      const checkpointing = new JobCheckpointing({
        graph: this.graph,
        configuration: options.configuration,
        storage: options.checkpointStorage,
        gatewayOf: (execution) => this.deployedTo.get(execution),
        failJob: (cause) => {
          this.handleGlobalFailure(cause);
        },
        clock: options.clock,
        executor: options.executor,
      });
      this.checkpointing = checkpointing;
      this.graph.registerJobStatusListener((_jobId, status) => {
        checkpointing.onJobStatus(status);
      });
    }
  }

  /** Set by the JobMaster: learns of TaskExecutors that refuse or cannot take deployments. */
  onDeploymentFailure: DeploymentFailureListener | undefined;

  /** The job's checkpointing, when it has checkpointing settings. */
  getCheckpointing(): JobCheckpointing | undefined {
    return this.checkpointing;
  }

  getExecutionGraph(): DefaultExecutionGraph {
    return this.graph;
  }

  startScheduling(): void {
    if (!this.graph.transitionState(JobStatus.CREATED, JobStatus.RUNNING)) return;
    if (this.graph.getTotalNumberOfVertices() === 0) this.checkJobTermination();
    if (this.checkpointing === undefined) {
      this.strategy.startScheduling();
      return;
    }
    // A job submitted with a savepoint reads it before anything is deployed; one that cannot be
    // restored fails without restarts (there is nothing a restart could change).
    this.checkpointing.loadInitialSavepoint().then(
      () => {
        if (this.graph.getState() === JobStatus.RUNNING) this.strategy.startScheduling();
      },
      (error: unknown) => {
        this.failJob(
          new SuppressRestartsError(
            `Could not restore the job from its savepoint: ${asError(error).message}`,
            { cause: error },
          ),
        );
      },
    );
  }

  getJobTerminationFuture(): Promise<JobStatus> {
    return this.termination.promise;
  }

  requestJob(): ArchivedExecutionGraph {
    return this.graph.archive(this.exceptionHistory.getEntries(), this.checkpointing?.getStatsSnapshot());
  }

  requestJobStatus(): JobStatus {
    return this.graph.getState();
  }

  // ---- deployment -------------------------------------------------------------------------------

  /** @internal SchedulerOperations: slots for a whole region, then deployment of each task. */
  allocateSlotsAndDeploy(vertices: readonly ExecutionVertex[]): void {
    if (this.checkpointing !== undefined) {
      let restores: Map<ExecutionVertex, JobManagerTaskRestore>;
      try {
        restores = this.checkpointing.computeRestores(vertices);
      } catch (error) {
        // Flink escalates a failure to restore state to a global failover.
        this.handleGlobalFailure(asError(error));
        return;
      }
      for (const vertex of vertices) this.restores.delete(vertex);
      for (const [vertex, restore] of restores) this.restores.set(vertex, restore);
    }
    const executions = vertices.map((vertex) => vertex.getCurrentExecutionAttempt());
    for (const execution of executions) execution.transitionState(ExecutionState.SCHEDULED);
    const slots = vertices.map((vertex) => this.options.slotAllocator.allocateSlotFor(vertex));
    // A pipelined region runs only whole: deploy when every slot of it is there.
    Promise.all(slots).then(
      (physicalSlots) => {
        executions.forEach((execution, index) => {
          const slot = physicalSlots[index];
          if (slot !== undefined) this.deploy(execution, slot);
        });
      },
      (error: unknown) => {
        for (const execution of executions) {
          if (execution.getState() === ExecutionState.SCHEDULED && this.isCurrent(execution)) {
            this.failExecution(execution, asError(error));
          }
        }
      },
    );
  }

  private deploy(execution: Execution, slot: PhysicalSlot): void {
    if (!this.isCurrent(execution) || execution.getState() !== ExecutionState.SCHEDULED) return;
    execution.setAssignedResource({ allocationId: slot.allocationId, location: slot.location });
    execution.transitionState(ExecutionState.DEPLOYING);
    let tdd;
    try {
      tdd = createTaskDeploymentDescriptor(
        this.graph,
        execution,
        slot.allocationId,
        this.restores.get(execution.getVertex()),
      );
    } catch (error) {
      this.failExecution(execution, asError(error));
      return;
    }
    const blocking = tdd.producedPartitions
      .filter((partition) => isBlockingResult(partition.partitionType))
      .map((partition) => ({ partitionId: partition.partitionId, producerId: execution.getAttemptId() }));
    this.deployedTo.set(execution, slot.gateway);
    if (blocking.length > 0)
      this.blockingPartitions.set(execution, { gateway: slot.gateway, partitionIds: blocking });
    slot.gateway.submitTask(tdd, this.options.jobMasterId).catch((error: unknown) => {
      if (this.isCurrent(execution) && execution.getState() === ExecutionState.CANCELING) {
        // Cancelled while deploying: the failed deployment completes the cancellation, no new failure.
        this.toTerminal(execution, ExecutionState.CANCELED);
      } else if (this.isCurrent(execution) && !execution.isTerminal()) {
        this.onDeploymentFailure?.(slot.location.resourceId, error);
        this.failExecution(
          execution,
          new TaskFailureError(`Could not deploy ${execution.toString()}.`, { cause: error }),
        );
      }
    });
  }

  // ---- state updates ----------------------------------------------------------------------------

  updateTaskExecutionState(report: TaskExecutionState): boolean {
    const execution = this.graph.getCurrentExecution(report.executionId);
    if (execution === undefined || execution.isTerminal()) return false;
    const current = execution.getState();
    switch (report.state) {
      case ExecutionState.INITIALIZING:
        if (current !== ExecutionState.DEPLOYING) return false;
        execution.transitionState(ExecutionState.INITIALIZING);
        return true;
      case ExecutionState.RUNNING:
        if (current === ExecutionState.DEPLOYING) execution.transitionState(ExecutionState.INITIALIZING);
        if (execution.getState() !== ExecutionState.INITIALIZING) return false;
        execution.transitionState(ExecutionState.RUNNING);
        return true;
      case ExecutionState.FINISHED:
        execution.setFinalReport(report.ioMetrics, report.accumulators);
        if (current === ExecutionState.CANCELING) {
          this.toTerminal(execution, ExecutionState.CANCELED);
        } else if (current === ExecutionState.RUNNING) {
          this.toTerminal(execution, ExecutionState.FINISHED);
        } else {
          return false;
        }
        return true;
      case ExecutionState.CANCELED:
        execution.setFinalReport(report.ioMetrics, report.accumulators);
        if (current === ExecutionState.CANCELING) this.toTerminal(execution, ExecutionState.CANCELED);
        else
          this.failExecution(
            execution,
            new TaskFailureError(`${execution.toString()} was cancelled without request.`),
          );
        return true;
      case ExecutionState.FAILED: {
        execution.setFinalReport(report.ioMetrics, report.accumulators);
        const error =
          report.error !== undefined
            ? SerializedError.toError(report.error)
            : new TaskFailureError(`${execution.toString()} failed without a cause.`);
        if (current === ExecutionState.CANCELING) this.toTerminal(execution, ExecutionState.CANCELED);
        else this.failExecution(execution, error);
        return true;
      }
      default:
        return false;
    }
  }

  /** The single place executions become terminal: counters, slots and job termination follow. */
  private toTerminal(execution: Execution, state: ExecutionState, failure?: ErrorInfo): void {
    execution.transitionState(state, failure);
    this.deployedTo.delete(execution);
    this.nonTerminalExecutions--;
    const vertex = execution.getVertex();
    this.options.slotAllocator.release(vertex);
    if (state === ExecutionState.FINISHED) {
      this.finishedVertices++;
      this.strategy.onExecutionFinished(vertex);
    }
    this.checkJobTermination();
  }

  private failExecution(execution: Execution, error: Error): void {
    if (execution.isTerminal()) return;
    const timestamp = this.options.clock.absoluteTimeMillis();
    this.toTerminalWithoutCheck(execution, error, timestamp);
    this.handleTaskFailure(execution, error, timestamp);
  }

  private toTerminalWithoutCheck(execution: Execution, error: Error, timestamp: number): void {
    execution.transitionState(ExecutionState.FAILED, { exception: SerializedError.from(error), timestamp });
    this.deployedTo.delete(execution);
    this.nonTerminalExecutions--;
    this.options.slotAllocator.release(execution.getVertex());
    this.noteLostPartition(error);
  }

  private noteLostPartition(error: Error): void {
    for (let e: unknown = error; e instanceof Error; e = e.cause) {
      if (e.name !== 'PartitionNotFoundError') continue;
      const match = /[0-9a-f]{32}#\d+/.exec(e.message);
      if (match !== null) this.lostPartitions.add(match[0] as IntermediateResultPartitionID);
    }
  }

  // ---- failures -----------------------------------------------------------------------------------

  private handleTaskFailure(execution: Execution, error: Error, timestamp: number): void {
    const state = this.graph.getState();
    if (state !== JobStatus.RUNNING && state !== JobStatus.RESTARTING) {
      this.checkJobTermination();
      return;
    }
    this.exceptionHistory.add(
      error,
      timestamp,
      execution.getVertex().getTaskNameWithSubtaskIndex(),
      execution.getAssignedResourceLocation(),
    );
    this.handleFailureResult(this.failureHandler.getFailureHandlingResult(execution.getVertex(), error));
  }

  handleGlobalFailure(cause: Error): void {
    const state = this.graph.getState();
    if (state !== JobStatus.RUNNING && state !== JobStatus.RESTARTING && state !== JobStatus.CREATED) return;
    this.exceptionHistory.add(cause, this.options.clock.absoluteTimeMillis());
    if (state === JobStatus.CREATED) {
      // Scheduling never started, so there is nothing a restart could bring back.
      this.failJob(cause);
      return;
    }
    this.handleFailureResult(this.failureHandler.getGlobalFailureHandlingResult(cause));
  }

  private handleFailureResult(result: FailureHandlingResult): void {
    if (result.canRestart) this.restartTasksWithDelay(result.verticesToRestart, result.restartDelayMs);
    else this.failJob(result.error);
  }

  private restartTasksWithDelay(vertices: ReadonlySet<ExecutionVertex>, delayMs: number): void {
    const versions = new Map<ExecutionVertex, number>();
    for (const vertex of vertices) {
      versions.set(vertex, vertex.getCurrentExecutionAttempt().getAttemptNumber());
      this.verticesWaitingForRestart.add(vertex);
    }
    this.graph.transitionState(JobStatus.RUNNING, JobStatus.RESTARTING);
    this.checkpointing?.onFailover();
    const cancelled = Promise.all(
      [...vertices].map((vertex) => this.cancelExecution(vertex.getCurrentExecutionAttempt())),
    );
    this.options.executor.schedule(() => {
      void cancelled.then(() => {
        this.restartTasks(versions);
      });
    }, delayMs);
  }

  private restartTasks(versions: Map<ExecutionVertex, number>): void {
    for (const vertex of versions.keys()) this.verticesWaitingForRestart.delete(vertex);
    const state = this.graph.getState();
    if (state !== JobStatus.RESTARTING && state !== JobStatus.RUNNING) return;
    const restarted: ExecutionVertex[] = [];
    for (const [vertex, attempt] of versions) {
      const current = vertex.getCurrentExecutionAttempt();
      if (current.getAttemptNumber() !== attempt || !current.isTerminal()) continue;
      if (current.getState() === ExecutionState.FINISHED) this.finishedVertices--;
      this.releaseBlockingPartitions(current);
      vertex.resetForNewExecution();
      for (const partition of vertex.getProducedPartitions())
        this.lostPartitions.delete(partition.getPartitionId());
      this.nonTerminalExecutions++;
      restarted.push(vertex);
    }
    if (this.verticesWaitingForRestart.size === 0)
      this.graph.transitionState(JobStatus.RESTARTING, JobStatus.RUNNING);
    this.strategy.restartTasks(restarted);
  }

  private failJob(error: Error): void {
    const state = this.graph.getState();
    const failure = {
      exception: SerializedError.from(error),
      timestamp: this.options.clock.absoluteTimeMillis(),
    };
    if (state === JobStatus.RUNNING || state === JobStatus.RESTARTING || state === JobStatus.CREATED) {
      this.graph.transitionState(state, JobStatus.FAILING, failure);
    }
    this.verticesWaitingForRestart.clear();
    this.cancelAllExecutions();
    this.checkJobTermination();
  }

  // ---- cancellation -------------------------------------------------------------------------------

  cancel(): void {
    const state = this.graph.getState();
    if (
      state !== JobStatus.CREATED &&
      state !== JobStatus.RUNNING &&
      state !== JobStatus.RESTARTING &&
      state !== JobStatus.FAILING
    ) {
      return;
    }
    this.graph.transitionState(state, JobStatus.CANCELLING);
    this.verticesWaitingForRestart.clear();
    this.cancelAllExecutions();
    this.checkJobTermination();
  }

  /**
   * Stops the job without ending it globally (Flink's suspend): its tasks are cancelled as by
   * cancel(), but the job ends SUSPENDED (terminal for this JobMaster only), so another JobMaster
   * may recover it and its completed checkpoints are kept.
   */
  suspend(): void {
    const state = this.graph.getState();
    if (state === JobStatus.CANCELLING) {
      this.suspending = true;
      this.checkJobTermination();
      return;
    }
    if (
      state !== JobStatus.CREATED &&
      state !== JobStatus.RUNNING &&
      state !== JobStatus.RESTARTING &&
      state !== JobStatus.FAILING
    ) {
      return;
    }
    this.suspending = true;
    this.cancel();
  }

  private cancelAllExecutions(): void {
    for (const vertex of this.graph.getAllExecutionVertices())
      void this.cancelExecution(vertex.getCurrentExecutionAttempt());
  }

  /** Cancels one attempt; resolves when it is terminal. */
  private cancelExecution(execution: Execution): Promise<ExecutionState> {
    switch (execution.getState()) {
      case ExecutionState.CREATED:
      case ExecutionState.SCHEDULED:
        this.toTerminal(execution, ExecutionState.CANCELED);
        break;
      case ExecutionState.DEPLOYING:
      case ExecutionState.INITIALIZING:
      case ExecutionState.RUNNING: {
        execution.transitionState(ExecutionState.CANCELING);
        const gateway = this.deployedTo.get(execution);
        if (gateway === undefined) {
          this.toTerminal(execution, ExecutionState.CANCELED);
        } else {
          gateway.cancelTask(execution.getAttemptId()).catch(() => {
            // The TaskExecutor is unreachable: its task cannot run on.
            if (execution.getState() === ExecutionState.CANCELING)
              this.toTerminal(execution, ExecutionState.CANCELED);
          });
        }
        break;
      }
      default:
        break;
    }
    return execution.getTerminalStateFuture();
  }

  // ---- termination --------------------------------------------------------------------------------

  private checkJobTermination(): void {
    const state = this.graph.getState();
    if (state === JobStatus.RUNNING && this.finishedVertices === this.graph.getTotalNumberOfVertices()) {
      this.graph.transitionState(JobStatus.RUNNING, JobStatus.FINISHED);
    } else if (state === JobStatus.FAILING && this.nonTerminalExecutions === 0) {
      this.graph.transitionState(JobStatus.FAILING, JobStatus.FAILED);
    } else if (state === JobStatus.CANCELLING && this.nonTerminalExecutions === 0) {
      this.graph.transitionState(
        JobStatus.CANCELLING,
        this.suspending ? JobStatus.SUSPENDED : JobStatus.CANCELED,
      );
    } else {
      return;
    }
    const terminal = this.graph.getState();
    this.releaseAllBlockingPartitions();
    this.options.onTerminated?.(terminal);
    this.termination.resolve(terminal);
  }

  private releaseBlockingPartitions(execution: Execution): void {
    const deployed = this.blockingPartitions.get(execution);
    if (deployed === undefined) return;
    this.blockingPartitions.delete(execution);
    deployed.gateway.releasePartitions(this.graph.getJobID(), deployed.partitionIds).catch(() => undefined);
  }

  private releaseAllBlockingPartitions(): void {
    for (const execution of [...this.blockingPartitions.keys()]) this.releaseBlockingPartitions(execution);
  }

  private isCurrent(execution: Execution): boolean {
    return execution.getVertex().getCurrentExecutionAttempt() === execution;
  }

  /** Fails every task that runs in one of these (lost) slots. */
  failExecutionsInSlots(allocationIds: ReadonlySet<string>, cause: Error): void {
    for (const vertex of this.graph.getAllExecutionVertices()) {
      const execution = vertex.getCurrentExecutionAttempt();
      const allocation = execution.getAssignedResource()?.allocationId;
      if (allocation !== undefined && allocationIds.has(allocation) && !execution.isTerminal()) {
        if (execution.getState() === ExecutionState.CANCELING)
          this.toTerminal(execution, ExecutionState.CANCELED);
        else this.failExecution(execution, cause);
      }
    }
  }

  /** Shuts checkpointing down per its retention policy once the job is terminal. */
  async closeAsync(): Promise<void> {
    await this.checkpointing?.shutdown(this.graph.getState());
  }

  // ---- checkpoints --------------------------------------------------------------------------------

  acknowledgeCheckpoint(
    attemptId: ExecutionAttemptID,
    checkpointId: number,
    metrics: CheckpointMetrics,
    snapshot: TaskStateSnapshot,
  ): void {
    this.checkpointing?.acknowledge(attemptId, checkpointId, metrics, snapshot);
  }

  declineCheckpoint(
    attemptId: ExecutionAttemptID,
    checkpointId: number,
    reason: CheckpointFailureReason,
    cause?: Error,
  ): void {
    this.checkpointing?.decline(attemptId, checkpointId, reason, cause);
  }

  /** Triggers a checkpoint now; resolves with it once completed. */
  triggerCheckpoint(type: CheckpointType = 'CHECKPOINT'): Promise<CompletedCheckpoint> {
    return this.requireCheckpointing().getCoordinator().triggerCheckpoint(type);
  }

  /** Triggers a savepoint; resolves with its path. */
  async triggerSavepoint(
    targetDirectory: string | null,
    formatType: SavepointFormatType = 'CANONICAL',
  ): Promise<string> {
    const savepoint = await this.requireCheckpointing()
      .getCoordinator()
      .triggerSavepoint(targetDirectory, formatType);
    return savepoint.externalPointer;
  }

  /**
   * Stop-with-savepoint: a synchronous savepoint after which the tasks end (with `drain`, sources
   * end their input first), so the job FINISHES. Resolves with the savepoint path once the job
   * finished; if the savepoint fails the job keeps running.
   */
  async stopWithSavepoint(targetDirectory: string | null, drain: boolean): Promise<string> {
    const checkpointing = this.requireCheckpointing();
    // No periodic checkpoint may follow the final savepoint (Flink stops the scheduler first).
    checkpointing.pausePeriodicCheckpoints();
    let savepoint: CompletedCheckpoint;
    try {
      savepoint = await checkpointing.getCoordinator().triggerSynchronousSavepoint(drain, targetDirectory);
    } catch (error) {
      checkpointing.onJobStatus(this.graph.getState());
      throw error;
    }
    // The job must now finish; any other turn (a failure, a restart, a cancel) ends the operation.
    const outcome = await new Promise<JobStatus>((resolve) => {
      void this.termination.promise.then(resolve);
      this.graph.registerJobStatusListener((_jobId, status) => {
        if (status !== JobStatus.FINISHED && status !== JobStatus.RUNNING) resolve(status);
      });
    });
    if (outcome !== JobStatus.FINISHED) {
      throw new EddyError(
        `The savepoint ${savepoint.externalPointer} was taken, but the job did not stop: it went ${outcome}.`,
      );
    }
    return savepoint.externalPointer;
  }

  private requireCheckpointing(): JobCheckpointing {
    if (this.checkpointing === undefined) {
      throw new CheckpointException('TRIGGER_CHECKPOINT_FAILURE', {
        detail: 'Checkpointing is not enabled for this job.',
      });
    }
    return this.checkpointing;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
