import { IllegalStateError } from '../core/errors.js';

/** The lifecycle of a job (Flink's JobStatus). */
export const JobStatus = {
  INITIALIZING: 'INITIALIZING',
  CREATED: 'CREATED',
  RUNNING: 'RUNNING',
  FAILING: 'FAILING',
  FAILED: 'FAILED',
  CANCELLING: 'CANCELLING',
  CANCELED: 'CANCELED',
  FINISHED: 'FINISHED',
  RESTARTING: 'RESTARTING',
  SUSPENDED: 'SUSPENDED',
  RECONCILING: 'RECONCILING',
} as const;
export type JobStatus = (typeof JobStatus)[keyof typeof JobStatus];

export const JOB_STATUSES: readonly JobStatus[] = Object.values(JobStatus);

/** Exactly the transitions of flink-fault-tolerance-notes §4.1; terminal states have none. */
const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  INITIALIZING: ['CREATED', 'FAILED', 'CANCELED', 'SUSPENDED'],
  CREATED: ['RUNNING', 'RECONCILING', 'CANCELLING', 'FAILING', 'SUSPENDED'],
  RUNNING: ['FINISHED', 'RESTARTING', 'FAILING', 'CANCELLING', 'SUSPENDED'],
  RESTARTING: ['RUNNING', 'FAILING', 'CANCELLING', 'SUSPENDED'],
  FAILING: ['FAILED', 'CANCELLING', 'SUSPENDED'],
  CANCELLING: ['CANCELED', 'SUSPENDED'],
  RECONCILING: ['RUNNING', 'FAILING', 'CANCELLING', 'SUSPENDED'],
  FINISHED: [],
  CANCELED: [],
  FAILED: [],
  SUSPENDED: [],
};

/** FINISHED, CANCELED and FAILED: the job is over everywhere (HA data may be cleaned up). */
export function isGloballyTerminalState(status: JobStatus): boolean {
  return status === 'FINISHED' || status === 'CANCELED' || status === 'FAILED';
}

/** Globally terminal states and SUSPENDED (terminal only for this JobMaster). */
export function isTerminalState(status: JobStatus): boolean {
  return isGloballyTerminalState(status) || status === 'SUSPENDED';
}

export function isJobTransitionAllowed(from: JobStatus, to: JobStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export class IllegalJobStatusTransitionError extends IllegalStateError {
  constructor(
    readonly from: JobStatus,
    readonly to: JobStatus,
  ) {
    super(`Illegal job status transition from ${from} to ${to}.`);
  }
}

export function checkJobTransition(from: JobStatus, to: JobStatus): void {
  if (!isJobTransitionAllowed(from, to)) throw new IllegalJobStatusTransitionError(from, to);
}
