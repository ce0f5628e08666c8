import type { CheckpointOptions } from '../checkpoint/checkpoint-types.js';
import { deferred } from '../core/async.js';
import { SystemScheduledExecutor } from '../core/clock.js';
import type { ScheduledExecutor } from '../core/clock.js';
import { Configuration } from '../core/configuration.js';
import { EddyError, SerializedError } from '../core/errors.js';
import type { ExecutionAttemptID } from '../core/ids.js';
import { AccumulatorRegistry } from '../execution/accumulators.js';
import type { TaskIOMetrics } from '../execution/environment.js';
import { ExecutionState, isTerminalExecutionState } from '../execution/execution-state.js';
import { isCheckpointableTask } from '../execution/checkpointable.js';
import type { InvokableClass, TaskInvokable } from '../execution/invokable.js';
import type { TaskDeploymentDescriptor } from '../deployment/task-deployment-descriptor.js';
import type { InputGate } from '../io/network/input-gate.js';
import type { ShuffleEnvironment, TaskResultPartition } from '../io/network/shuffle-environment.js';
import { RuntimeEnvironment } from './runtime-environment.js';
import type { TaskExecutionState } from './task-execution-state.js';
import { TaskStateManagerImpl } from './task-state-manager.js';
import type { CheckpointResponder } from './task-state-manager.js';

/** The task was cancelled (Flink's CancelTaskException): pending reads and writes end with it. */
export class CancelTaskError extends EddyError {}

/** How a Task is run; every field has a default. */
export interface TaskOptions {
  /** `task.cancellation.timeout` (default 180 s): a cancelled task that did not stop is given up on after it. */
  readonly cancellationTimeoutMs?: number;
  /** Runs the cancellation watchdog (default: the system timers). */
  readonly executor?: ScheduledExecutor;
  /** `state.storage.fs.memory-threshold` in bytes: state up to this size stays inline (default 20 kb). */
  readonly stateMemoryThresholdBytes?: number;
  /** Where checkpoint acknowledgements go (default: nowhere — the task is not part of checkpoints). */
  readonly checkpointResponder?: CheckpointResponder;
}

const NO_CHECKPOINT_RESPONDER: CheckpointResponder = {
  acknowledgeCheckpoint: () => undefined,
  declineCheckpoint: () => undefined,
};

/** Where a Task reports its state changes: its JobMaster, through the TaskExecutor. */
export type TaskStateReporter = (state: TaskExecutionState) => void;

/**
 * One execution attempt running on a TaskExecutor (Flink's Task): it creates the task's result
 * partitions and input gates, connects the gates, instantiates the invokable, runs `invoke()`, and
 * finishes its partitions when it returns. Every state change is reported in order:
 * INITIALIZING, RUNNING, then FINISHED, CANCELED or FAILED with the final counters and accumulators.
 * Cancelling aborts the environment's signal, releases the partitions and closes the gates, so a
 * task waiting on I/O wakes; a cancelled task ends CANCELED whatever its invokable threw.
 */
export class Task {
  private state: ExecutionState = ExecutionState.DEPLOYING;
  private readonly abort = new AbortController();
  private readonly accumulators = new AccumulatorRegistry();
  private readonly ioMetrics: TaskIOMetrics = {
    numRecordsIn: 0,
    numRecordsOut: 0,
    numBuffersIn: 0,
    numBuffersOut: 0,
  };
  private readonly terminated = deferred<ExecutionState>();
  private partitions: TaskResultPartition[] = [];
  private gates: InputGate[] = [];
  private invokable: TaskInvokable | undefined;
  private externalFailure: Error | undefined;
  private readonly cancellationTimeoutMs: number;
  private readonly executor: ScheduledExecutor;
  private readonly taskStateManager: TaskStateManagerImpl;

  constructor(
    private readonly tdd: TaskDeploymentDescriptor,
    private readonly invokableClass: InvokableClass,
    private readonly shuffleEnvironment: ShuffleEnvironment,
    private readonly report: TaskStateReporter,
    options: TaskOptions = {},
  ) {
    this.cancellationTimeoutMs = options.cancellationTimeoutMs ?? 180_000;
    this.executor = options.executor ?? SystemScheduledExecutor;
    this.taskStateManager = new TaskStateManagerImpl(
      tdd.executionId,
      tdd.taskRestore,
      options.checkpointResponder ?? NO_CHECKPOINT_RESPONDER,
      options.stateMemoryThresholdBytes,
    );
  }

  getExecutionId(): ExecutionAttemptID {
    return this.tdd.executionId;
  }
  getDescriptor(): TaskDeploymentDescriptor {
    return this.tdd;
  }
  getExecutionState(): ExecutionState {
    return this.state;
  }
  getTaskNameWithSubtasks(): string {
    return `${this.tdd.taskName} (${this.tdd.subtaskIndex + 1}/${this.tdd.numberOfSubtasks})#${this.tdd.attemptNumber}`;
  }
  /** Resolves with the terminal state. */
  getTerminationFuture(): Promise<ExecutionState> {
    return this.terminated.promise;
  }

  /** Starts running; the returned promise is the termination future. */
  start(): Promise<ExecutionState> {
    void this.run();
    return this.terminated.promise;
  }

  /**
   * Asks the task to take a snapshot (sources). A task that is not running, or whose invokable
   * takes no part in checkpoints, declines so the coordinator does not wait for it.
   */
  triggerCheckpointBarrier(checkpointId: number, timestamp: number, options: CheckpointOptions): void {
    const invokable = this.invokable;
    if (
      this.state !== ExecutionState.RUNNING ||
      invokable === undefined ||
      !isCheckpointableTask(invokable)
    ) {
      this.taskStateManager.declineCheckpoint(checkpointId, 'CHECKPOINT_DECLINED_TASK_NOT_READY');
      return;
    }
    invokable.triggerCheckpointAsync({ checkpointId, timestamp }, options).then(
      (triggered) => {
        if (!triggered)
          this.taskStateManager.declineCheckpoint(checkpointId, 'CHECKPOINT_DECLINED_TASK_NOT_READY');
      },
      (error: unknown) => {
        this.taskStateManager.declineCheckpoint(checkpointId, 'CHECKPOINT_DECLINED', asError(error));
      },
    );
  }

  /** Checkpoint `checkpointId` completed: the invokable may commit side effects. */
  notifyCheckpointComplete(checkpointId: number): void {
    const invokable = this.invokable;
    if (this.state !== ExecutionState.RUNNING || invokable === undefined || !isCheckpointableTask(invokable))
      return;
    invokable.notifyCheckpointCompleteAsync(checkpointId).catch((error: unknown) => {
      // Flink fails the task when committing a completed checkpoint fails.
      this.failExternally(asError(error));
    });
  }

  notifyCheckpointAborted(checkpointId: number, latestCompletedCheckpointId: number): void {
    const invokable = this.invokable;
    if (this.state !== ExecutionState.RUNNING || invokable === undefined || !isCheckpointableTask(invokable))
      return;
    invokable.notifyCheckpointAbortAsync(checkpointId, latestCompletedCheckpointId).catch(() => undefined);
  }

  /** Cancels the task: it ends CANCELED. */
  cancelExecution(): void {
    this.stop(undefined);
  }

  /** Fails the task from outside (for example its slot was freed): it ends FAILED with `cause`. */
  failExternally(cause: Error): void {
    this.stop(cause);
  }

  private stop(failure: Error | undefined): void {
    if (isTerminalExecutionState(this.state) || this.abort.signal.aborted) return;
    this.externalFailure = failure;
    if (failure === undefined) this.state = ExecutionState.CANCELING;
    this.abort.abort(failure ?? new CancelTaskError(`${this.getTaskNameWithSubtasks()} was cancelled.`));
    const cause = failure ?? new CancelTaskError(`${this.getTaskNameWithSubtasks()} was cancelled.`);
    for (const partition of this.partitions) partition.release(cause);
    for (const gate of this.gates) gate.close();
    this.invokable?.cancel().catch(() => undefined);
    // A task runs on the shared event loop and cannot be killed; one that ignores cancellation is
    // reported terminal after the timeout so that its job can move on (Flink kills the process).
    const watchdog = this.executor.schedule(() => {
      this.end(
        failure === undefined ? ExecutionState.CANCELED : ExecutionState.FAILED,
        failure ??
          new CancelTaskError(
            `${this.getTaskNameWithSubtasks()} did not stop within ${this.cancellationTimeoutMs} ms.`,
          ),
      );
    }, this.cancellationTimeoutMs);
    void this.terminated.promise.then(() => {
      watchdog.cancel();
    });
  }

  private async run(): Promise<void> {
    try {
      const owner = {
        jobId: this.tdd.jobId,
        executionId: this.tdd.executionId,
        subtaskIndex: this.tdd.subtaskIndex,
        taskName: this.tdd.taskName,
        ioMetrics: this.ioMetrics,
      };
      this.partitions = this.shuffleEnvironment.createResultPartitions(owner, this.tdd.producedPartitions);
      this.gates = this.shuffleEnvironment.createInputGates(owner, this.tdd.inputGates);
      this.checkNotStopped();
      this.transition(ExecutionState.INITIALIZING);
      await Promise.all(this.gates.map((gate) => gate.setup()));
      this.checkNotStopped();
      const environment = new RuntimeEnvironment(
        this.tdd.jobId,
        this.tdd.jobVertexId,
        this.tdd.executionId,
        {
          taskName: this.tdd.taskName,
          taskNameWithSubtasks: this.getTaskNameWithSubtasks(),
          indexOfThisSubtask: this.tdd.subtaskIndex,
          numberOfParallelSubtasks: this.tdd.numberOfSubtasks,
          maxNumberOfParallelSubtasks: this.tdd.maxNumberOfSubtasks,
          attemptNumber: this.tdd.attemptNumber,
          allocationId: this.tdd.allocationId,
        },
        new Configuration(this.tdd.taskConfiguration),
        new Configuration(this.tdd.jobConfiguration),
        this.gates,
        this.partitions.map((partition) => partition.writer),
        this.accumulators,
        this.ioMetrics,
        this.abort.signal,
        this.taskStateManager,
      );
      this.invokable = new this.invokableClass(environment);
      this.checkNotStopped();
      this.transition(ExecutionState.RUNNING);
      await this.invokable.invoke();
      this.checkNotStopped();
      for (const partition of this.partitions) partition.finish();
      this.end(ExecutionState.FINISHED);
    } catch (error) {
      if (this.abort.signal.aborted) {
        this.end(
          this.externalFailure === undefined ? ExecutionState.CANCELED : ExecutionState.FAILED,
          this.externalFailure,
        );
      } else {
        this.end(ExecutionState.FAILED, error instanceof Error ? error : new Error(String(error)));
      }
    } finally {
      for (const gate of this.gates) gate.close();
    }
  }

  private checkNotStopped(): void {
    if (this.abort.signal.aborted)
      throw new CancelTaskError(`${this.getTaskNameWithSubtasks()} was stopped.`);
  }

  private transition(state: ExecutionState): void {
    if (this.state === ExecutionState.CANCELING) return;
    this.state = state;
    this.report({ jobId: this.tdd.jobId, executionId: this.tdd.executionId, state });
  }

  private end(state: ExecutionState, error?: Error): void {
    if (this.terminated.isDone()) return;
    if (state !== ExecutionState.FINISHED) {
      const cause = error ?? new CancelTaskError(`${this.getTaskNameWithSubtasks()} was cancelled.`);
      for (const partition of this.partitions) partition.release(cause);
    }
    this.state = state;
    this.report({
      jobId: this.tdd.jobId,
      executionId: this.tdd.executionId,
      state,
      ...(state === ExecutionState.FAILED && error !== undefined
        ? { error: SerializedError.from(error) }
        : {}),
      ioMetrics: { ...this.ioMetrics },
      accumulators: this.accumulators.snapshot(),
    });
    this.terminated.resolve(state);
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
