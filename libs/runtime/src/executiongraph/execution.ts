import { deferred } from '../core/async.js';
import type { Deferred } from '../core/async.js';
import type { Clock } from '../core/clock.js';
import type { ErrorInfo } from '../core/errors.js';
import { ExecutionAttemptID } from '../core/ids.js';
import type { AllocationID } from '../core/ids.js';
import type { TaskManagerLocation } from '../core/task-manager-location.js';
import type { TaskIOMetrics } from '../execution/environment.js';
import type { SerializedAccumulator } from '../execution/accumulators.js';
import {
  EXECUTION_STATES,
  ExecutionState,
  checkExecutionTransition,
  isTerminalExecutionState,
} from '../execution/execution-state.js';
import type { ExecutionVertex } from './execution-vertex.js';

const STATE_INDEX: Record<ExecutionState, number> = Object.fromEntries(
  EXECUTION_STATES.map((s, i) => [s, i]),
) as Record<ExecutionState, number>;

/** The slot an execution was assigned: where it runs. */
export interface AssignedResource {
  readonly allocationId: AllocationID;
  readonly location: TaskManagerLocation;
}

/**
 * One attempt to run an ExecutionVertex (Flink's Execution): its state machine, when it entered
 * each state, where it runs, and how it ended. Every restart creates a new Execution with the
 * next attempt number; an update for an old attempt is recognised by its ExecutionAttemptID.
 */
export class Execution {
  private readonly attemptId: ExecutionAttemptID;
  private state: ExecutionState = ExecutionState.CREATED;
  private readonly stateTimestamps = new Float64Array(EXECUTION_STATES.length);
  private failureInfo: ErrorInfo | undefined;
  private assignedResource: AssignedResource | undefined;
  private ioMetrics: TaskIOMetrics | undefined;
  private accumulators: Readonly<Record<string, SerializedAccumulator>> | undefined;
  private terminal: Deferred<ExecutionState> | undefined;

  constructor(
    private readonly vertex: ExecutionVertex,
    private readonly attemptNumber: number,
    private readonly clock: Clock,
  ) {
    this.attemptId = ExecutionAttemptID.of(
      vertex.getJobVertex().getGraph().getGraphId(),
      vertex.getId(),
      attemptNumber,
    );
    this.stateTimestamps[STATE_INDEX.CREATED] = clock.absoluteTimeMillis();
  }

  getAttemptId(): ExecutionAttemptID {
    return this.attemptId;
  }
  getAttemptNumber(): number {
    return this.attemptNumber;
  }
  getVertex(): ExecutionVertex {
    return this.vertex;
  }
  getState(): ExecutionState {
    return this.state;
  }
  isTerminal(): boolean {
    return isTerminalExecutionState(this.state);
  }
  /** When the execution entered `state`, or 0 if it never did. */
  getStateTimestamp(state: ExecutionState): number {
    return this.stateTimestamps[STATE_INDEX[state]] ?? 0;
  }
  getStateTimestamps(): Record<ExecutionState, number> {
    return Object.fromEntries(EXECUTION_STATES.map((s) => [s, this.getStateTimestamp(s)])) as Record<
      ExecutionState,
      number
    >;
  }
  getFailureInfo(): ErrorInfo | undefined {
    return this.failureInfo;
  }
  getAssignedResource(): AssignedResource | undefined {
    return this.assignedResource;
  }
  getAssignedResourceLocation(): TaskManagerLocation | undefined {
    return this.assignedResource?.location;
  }
  getIOMetrics(): TaskIOMetrics | undefined {
    return this.ioMetrics;
  }
  getAccumulators(): Readonly<Record<string, SerializedAccumulator>> | undefined {
    return this.accumulators;
  }

  /** Resolves with the terminal state once the execution reaches one. */
  getTerminalStateFuture(): Promise<ExecutionState> {
    if (this.terminal === undefined) {
      this.terminal = deferred<ExecutionState>();
      if (this.isTerminal()) this.terminal.resolve(this.state);
    }
    return this.terminal.promise;
  }

  /**
   * Moves to `target`. Throws IllegalExecutionStateTransitionError if the state machine has no such
   * transition (a terminal state is never left).
   */
  transitionState(target: ExecutionState, failure?: ErrorInfo): void {
    checkExecutionTransition(this.state, target, this.toString());
    this.state = target;
    this.stateTimestamps[STATE_INDEX[target]] = this.clock.absoluteTimeMillis();
    if (target === ExecutionState.FAILED && failure !== undefined) this.failureInfo = failure;
    if (isTerminalExecutionState(target)) this.terminal?.resolve(target);
  }

  /** Records the slot before deployment. */
  setAssignedResource(resource: AssignedResource): void {
    this.assignedResource = resource;
  }

  /** Records the final counters and accumulators a TaskExecutor reported. */
  setFinalReport(
    ioMetrics: TaskIOMetrics | undefined,
    accumulators: Readonly<Record<string, SerializedAccumulator>> | undefined,
  ): void {
    if (ioMetrics !== undefined) this.ioMetrics = ioMetrics;
    if (accumulators !== undefined) this.accumulators = accumulators;
  }

  toString(): string {
    return `${this.vertex.getTaskNameWithSubtaskIndex()} - execution #${this.attemptNumber} (${this.attemptId})`;
  }
}
