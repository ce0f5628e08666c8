import { IllegalStateError } from '../core/errors.js';

/** The lifecycle of one execution attempt of a subtask (Flink's ExecutionState). */
export const ExecutionState = {
  CREATED: 'CREATED',
  SCHEDULED: 'SCHEDULED',
  DEPLOYING: 'DEPLOYING',
  RUNNING: 'RUNNING',
  FINISHED: 'FINISHED',
  CANCELING: 'CANCELING',
  CANCELED: 'CANCELED',
  FAILED: 'FAILED',
  RECONCILING: 'RECONCILING',
  INITIALIZING: 'INITIALIZING',
} as const;
export type ExecutionState = (typeof ExecutionState)[keyof typeof ExecutionState];

/** Every value, in Flink's declaration order (the order REST status counts use). */
export const EXECUTION_STATES: readonly ExecutionState[] = Object.values(ExecutionState);

/** Exactly the transitions of Flink's ExecutionState (see flink-fault-tolerance-notes §4.2). */
const TRANSITIONS: Record<ExecutionState, readonly ExecutionState[]> = {
  CREATED: ['SCHEDULED', 'CANCELING', 'CANCELED', 'FAILED', 'RECONCILING'],
  SCHEDULED: ['DEPLOYING', 'CANCELING', 'CANCELED', 'FAILED'],
  DEPLOYING: ['INITIALIZING', 'CANCELING', 'FAILED'],
  INITIALIZING: ['RUNNING', 'CANCELING', 'FAILED'],
  RUNNING: ['FINISHED', 'CANCELING', 'FAILED'],
  CANCELING: ['CANCELED', 'FAILED'],
  RECONCILING: ['INITIALIZING', 'RUNNING', 'FINISHED', 'CANCELED', 'FAILED'],
  FINISHED: [],
  CANCELED: [],
  FAILED: [],
};

export function isTerminalExecutionState(state: ExecutionState): boolean {
  return state === 'FINISHED' || state === 'CANCELED' || state === 'FAILED';
}

export function isExecutionTransitionAllowed(from: ExecutionState, to: ExecutionState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Thrown when code asks for a transition the state machine does not have. */
export class IllegalExecutionStateTransitionError extends IllegalStateError {
  constructor(
    readonly from: ExecutionState,
    readonly to: ExecutionState,
    readonly what: string,
  ) {
    super(`Illegal execution state transition of ${what} from ${from} to ${to}.`);
  }
}

export function checkExecutionTransition(from: ExecutionState, to: ExecutionState, what: string): void {
  if (!isExecutionTransitionAllowed(from, to)) throw new IllegalExecutionStateTransitionError(from, to, what);
}
