import { describe, expect, it } from 'vitest';

import {
  EXECUTION_STATES,
  IllegalExecutionStateTransitionError,
  checkExecutionTransition,
  isExecutionTransitionAllowed,
  isTerminalExecutionState,
} from '../execution/execution-state.js';
import type { ExecutionState } from '../execution/execution-state.js';
import {
  IllegalJobStatusTransitionError,
  JOB_STATUSES,
  checkJobTransition,
  isGloballyTerminalState,
  isJobTransitionAllowed,
  isTerminalState,
} from './job-status.js';
import type { JobStatus } from './job-status.js';

/**
 * The job status transitions of flink-fault-tolerance-notes §4.1, plus the ones Flink's
 * DefaultExecutionGraph also takes and Eddy's scheduler uses (marked "extra"): a job is cancelled
 * or failed before it ran (CREATED → CANCELLING | FAILING), a restart is abandoned on a
 * non-restartable failure (RESTARTING → FAILING), and RECONCILING continues like RUNNING.
 */
const JOB_TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  INITIALIZING: ['CREATED', 'FAILED', 'CANCELED', 'SUSPENDED'],
  CREATED: ['RUNNING', 'RECONCILING', 'SUSPENDED', /* extra */ 'CANCELLING', 'FAILING'],
  RUNNING: ['FINISHED', 'RESTARTING', 'FAILING', 'CANCELLING', 'SUSPENDED'],
  RESTARTING: ['RUNNING', 'CANCELLING', 'SUSPENDED', /* extra */ 'FAILING'],
  FAILING: ['FAILED', 'CANCELLING', 'SUSPENDED'],
  CANCELLING: ['CANCELED', 'SUSPENDED'],
  RECONCILING: ['SUSPENDED', /* extra */ 'RUNNING', 'FAILING', 'CANCELLING'],
  FINISHED: [],
  CANCELED: [],
  FAILED: [],
  SUSPENDED: [],
};

/**
 * The execution state transitions of flink-fault-tolerance-notes §4.2, plus CREATED → CANCELED
 * (extra: Flink's Execution.cancel() cancels a CREATED attempt atomically, as it does a SCHEDULED one).
 */
const EXECUTION_TRANSITIONS: Record<ExecutionState, readonly ExecutionState[]> = {
  CREATED: ['SCHEDULED', 'CANCELING', 'FAILED', 'RECONCILING', /* extra */ 'CANCELED'],
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

/**
 * Checks every (from, to) pair against `expected`: the predicate must agree, and `check` must throw
 * `errorClass` exactly for the disallowed pairs. Returns the pairs that disagree, as `from → to`.
 */
function mismatches<S extends string>(
  states: readonly S[],
  expected: Record<S, readonly S[]>,
  isAllowed: (from: S, to: S) => boolean,
  check: (from: S, to: S) => void,
  errorClass: new (...args: never[]) => Error,
): string[] {
  const wrong: string[] = [];
  for (const from of states) {
    for (const to of states) {
      const allowed = expected[from].includes(to);
      let thrown: unknown;
      try {
        check(from, to);
      } catch (error) {
        thrown = error;
      }
      const checkAgrees = allowed ? thrown === undefined : thrown instanceof errorClass;
      if (isAllowed(from, to) !== allowed || !checkAgrees)
        wrong.push(`${from} → ${to} (${allowed ? 'should be allowed' : 'should throw'})`);
    }
  }
  return wrong;
}

describe('JobStatus state machine', () => {
  it('has the eleven states of Flink', () => {
    expect([...JOB_STATUSES].sort()).toEqual(Object.keys(JOB_TRANSITIONS).sort());
  });

  it('allows exactly the listed transitions over all 121 pairs, and throws for every other', () => {
    expect(
      mismatches(
        JOB_STATUSES,
        JOB_TRANSITIONS,
        isJobTransitionAllowed,
        checkJobTransition,
        IllegalJobStatusTransitionError,
      ),
    ).toEqual([]);
  });

  it('lets every non-terminal state be suspended, and no terminal state be left', () => {
    for (const status of JOB_STATUSES) {
      if (isTerminalState(status)) {
        expect(JOB_STATUSES.filter((to) => isJobTransitionAllowed(status, to))).toEqual([]);
      } else {
        expect(isJobTransitionAllowed(status, 'SUSPENDED')).toBe(true);
      }
    }
  });

  it('classifies terminal states: FINISHED, CANCELED, FAILED globally, SUSPENDED locally', () => {
    expect(JOB_STATUSES.filter(isGloballyTerminalState).sort()).toEqual(['CANCELED', 'FAILED', 'FINISHED']);
    expect(JOB_STATUSES.filter(isTerminalState).sort()).toEqual([
      'CANCELED',
      'FAILED',
      'FINISHED',
      'SUSPENDED',
    ]);
  });

  it('carries the transition in its error', () => {
    try {
      checkJobTransition('FINISHED', 'RUNNING');
      expect.unreachable('must throw');
    } catch (error) {
      expect(error).toBeInstanceOf(IllegalJobStatusTransitionError);
      const illegal = error as IllegalJobStatusTransitionError;
      expect(illegal.from).toBe('FINISHED');
      expect(illegal.to).toBe('RUNNING');
      expect(illegal.name).toBe('IllegalJobStatusTransitionError');
      expect(illegal.message).toBe('Illegal job status transition from FINISHED to RUNNING.');
    }
  });
});

describe('ExecutionState state machine', () => {
  it('has the ten states of Flink', () => {
    expect([...EXECUTION_STATES].sort()).toEqual(Object.keys(EXECUTION_TRANSITIONS).sort());
  });

  it('allows exactly the listed transitions over all 100 pairs, and throws for every other', () => {
    expect(
      mismatches(
        EXECUTION_STATES,
        EXECUTION_TRANSITIONS,
        isExecutionTransitionAllowed,
        (from, to) => {
          checkExecutionTransition(from, to, 'task');
        },
        IllegalExecutionStateTransitionError,
      ),
    ).toEqual([]);
  });

  it('reaches FAILED from every non-terminal state, and never leaves a terminal one', () => {
    for (const state of EXECUTION_STATES) {
      if (isTerminalExecutionState(state)) {
        expect(EXECUTION_STATES.filter((to) => isExecutionTransitionAllowed(state, to))).toEqual([]);
      } else {
        expect(isExecutionTransitionAllowed(state, 'FAILED')).toBe(true);
      }
    }
    expect(EXECUTION_STATES.filter(isTerminalExecutionState).sort()).toEqual([
      'CANCELED',
      'FAILED',
      'FINISHED',
    ]);
  });

  it('names what failed to transition', () => {
    expect(() => {
      checkExecutionTransition('FINISHED', 'RUNNING', 'Map (1/2)');
    }).toThrow('Illegal execution state transition of Map (1/2) from FINISHED to RUNNING.');
  });
});
