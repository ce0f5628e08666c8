import { describe, expect, it } from 'vitest';

import { ManualClock } from '../core/clock.js';
import { IllegalStateError } from '../core/errors.js';
import { AllocationID, ExecutionAttemptID, ResourceID } from '../core/ids.js';
import { IllegalExecutionStateTransitionError } from '../execution/execution-state.js';
import type { ExecutionState } from '../execution/execution-state.js';
import { DistributionPattern, ResultPartitionType } from '../jobgraph/enums.js';
import { JobGraph } from '../jobgraph/job-graph.js';
import { JobVertex } from '../jobgraph/job-vertex.js';
import { DefaultExecutionGraph } from './default-execution-graph.js';
import type { ExecutionGraphOptions } from './default-execution-graph.js';
import type { ExecutionVertex } from './execution-vertex.js';
import { aggregateExecutionState, emptyStateCounts } from './execution-job-vertex.js';

function build(options: ExecutionGraphOptions = {}): { graph: DefaultExecutionGraph; clock: ManualClock } {
  const clock = new ManualClock(100);
  const source = new JobVertex('Source');
  source.setParallelism(2);
  source.setInvokableClassName('eddy.sequence-source');
  const sink = new JobVertex('Sink');
  sink.setParallelism(1);
  sink.setInvokableClassName('eddy.collect-sink');
  sink.connectNewDataSetAsInput(source, DistributionPattern.ALL_TO_ALL, ResultPartitionType.BLOCKING);
  const jobGraph = new JobGraph('job');
  jobGraph.addVertex(source);
  jobGraph.addVertex(sink);
  return { graph: DefaultExecutionGraph.build(jobGraph, { clock, ...options }), clock };
}

function firstVertex(graph: DefaultExecutionGraph): ExecutionVertex {
  const vertex = [...graph.getAllExecutionVertices()][0];
  if (vertex === undefined) throw new Error('empty graph');
  return vertex;
}

const RUN_TO_FINISH: readonly ExecutionState[] = [
  'SCHEDULED',
  'DEPLOYING',
  'INITIALIZING',
  'RUNNING',
  'FINISHED',
];

describe('Execution', () => {
  it('starts CREATED as attempt 0 with an attempt ID naming graph, vertex and attempt', () => {
    const { graph } = build();
    const vertex = firstVertex(graph);
    const execution = vertex.getCurrentExecutionAttempt();
    expect(execution.getState()).toBe('CREATED');
    expect(execution.getAttemptNumber()).toBe(0);
    expect(execution.getVertex()).toBe(vertex);
    expect(execution.getAttemptId()).toBe(ExecutionAttemptID.of(graph.getGraphId(), vertex.getId(), 0));
    expect(ExecutionAttemptID.executionVertexId(execution.getAttemptId())).toBe(vertex.getId());
    expect(execution.isTerminal()).toBe(false);
    expect(execution.getStateTimestamp('CREATED')).toBe(100);
    expect(execution.getStateTimestamp('RUNNING')).toBe(0);
  });

  it('records when it entered each state', () => {
    const { graph, clock } = build();
    const execution = firstVertex(graph).getCurrentExecutionAttempt();
    for (const state of RUN_TO_FINISH) {
      clock.advance(10);
      execution.transitionState(state);
      expect(execution.getState()).toBe(state);
    }
    expect(execution.isTerminal()).toBe(true);
    expect(execution.getStateTimestamps()).toEqual({
      CREATED: 100,
      SCHEDULED: 110,
      DEPLOYING: 120,
      INITIALIZING: 130,
      RUNNING: 140,
      FINISHED: 150,
      CANCELING: 0,
      CANCELED: 0,
      FAILED: 0,
      RECONCILING: 0,
    });
  });

  it('refuses an illegal transition, keeping its state and timestamps', () => {
    const { graph, clock } = build();
    const execution = firstVertex(graph).getCurrentExecutionAttempt();
    execution.transitionState('SCHEDULED');
    clock.advance(50);
    expect(() => {
      execution.transitionState('RUNNING');
    }).toThrow(IllegalExecutionStateTransitionError);
    expect(() => {
      execution.transitionState('RUNNING');
    }).toThrow(`of ${execution.toString()} from SCHEDULED to RUNNING`);
    expect(execution.getState()).toBe('SCHEDULED');
    expect(execution.getStateTimestamp('RUNNING')).toBe(0);
  });

  it('keeps the failure of a FAILED attempt and resolves its terminal future', async () => {
    const { graph, clock } = build();
    const execution = firstVertex(graph).getCurrentExecutionAttempt();
    const terminal = execution.getTerminalStateFuture();
    execution.transitionState('SCHEDULED');
    clock.advance(7);
    const failure = { exception: { name: 'IOException', message: 'disk full' }, timestamp: 107 };
    execution.transitionState('FAILED', failure);
    expect(execution.getFailureInfo()).toEqual(failure);
    expect(execution.getStateTimestamp('FAILED')).toBe(107);
    await expect(terminal).resolves.toBe('FAILED');
    await expect(execution.getTerminalStateFuture()).resolves.toBe('FAILED');
  });

  it('records its slot and final report', () => {
    const { graph } = build();
    const execution = firstVertex(graph).getCurrentExecutionAttempt();
    const location = {
      resourceId: ResourceID.of('tm-1'),
      host: 'localhost',
      dataPort: -1,
      address: 'local://tm-1',
    };
    const allocationId = AllocationID.generate();
    execution.setAssignedResource({ allocationId, location });
    expect(execution.getAssignedResource()?.allocationId).toBe(allocationId);
    expect(execution.getAssignedResourceLocation()).toEqual(location);
    execution.setFinalReport(
      { numRecordsIn: 1, numRecordsOut: 2, numBuffersIn: 3, numBuffersOut: 4 },
      undefined,
    );
    expect(execution.getIOMetrics()?.numRecordsOut).toBe(2);
    expect(execution.getAccumulators()).toBeUndefined();
  });
});

describe('ExecutionVertex.resetForNewExecution', () => {
  it('creates attempt n+1 and keeps the old one in the history', () => {
    const { graph } = build();
    const vertex = firstVertex(graph);
    const first = vertex.getCurrentExecutionAttempt();
    first.transitionState('FAILED');
    const second = vertex.resetForNewExecution();
    expect(second).toBe(vertex.getCurrentExecutionAttempt());
    expect(second.getAttemptNumber()).toBe(1);
    expect(second.getState()).toBe('CREATED');
    expect(second.getAttemptId()).not.toBe(first.getAttemptId());
    expect(ExecutionAttemptID.attemptNumber(second.getAttemptId())).toBe(1);
    expect(vertex.getPriorExecutions()).toEqual([first]);
  });

  it('refuses to reset a running attempt', () => {
    const { graph } = build();
    const vertex = firstVertex(graph);
    vertex.getCurrentExecutionAttempt().transitionState('SCHEDULED');
    expect(() => vertex.resetForNewExecution()).toThrow(IllegalStateError);
    expect(() => vertex.resetForNewExecution()).toThrow('attempt is still SCHEDULED');
    expect(vertex.getCurrentExecutionAttempt().getAttemptNumber()).toBe(0);
  });

  it('keeps at most attemptsHistorySize prior attempts, oldest first', () => {
    const { graph } = build({ attemptsHistorySize: 3 });
    const vertex = firstVertex(graph);
    for (let i = 0; i < 6; i++) {
      vertex.getCurrentExecutionAttempt().transitionState('CANCELED');
      vertex.resetForNewExecution();
    }
    expect(vertex.getCurrentExecutionAttempt().getAttemptNumber()).toBe(6);
    expect(vertex.getPriorExecutions().map((e) => e.getAttemptNumber())).toEqual([3, 4, 5]);
  });

  it('keeps 16 prior attempts by default', () => {
    const { graph } = build();
    expect(graph.getAttemptsHistorySize()).toBe(16);
    const vertex = firstVertex(graph);
    for (let i = 0; i < 20; i++) {
      vertex.getCurrentExecutionAttempt().transitionState('FAILED');
      vertex.resetForNewExecution();
    }
    expect(vertex.getPriorExecutions()).toHaveLength(16);
    expect(vertex.getPriorExecutions()[0]?.getAttemptNumber()).toBe(4);
    expect(vertex.getPriorExecutions()[15]?.getAttemptNumber()).toBe(19);
  });

  it('makes a finished partition unfinished again', () => {
    const { graph } = build();
    const vertex = firstVertex(graph);
    const partition = vertex.getProducedPartitions()[0];
    for (const state of RUN_TO_FINISH) vertex.getCurrentExecutionAttempt().transitionState(state);
    partition?.markFinished();
    expect(partition?.isFinished()).toBe(true);
    vertex.resetForNewExecution();
    expect(partition?.isFinished()).toBe(false);
  });

  it('makes getCurrentExecution return undefined for the superseded attempt', () => {
    const { graph } = build();
    const vertex = firstVertex(graph);
    const old = vertex.getCurrentExecutionAttempt();
    expect(graph.getCurrentExecution(old.getAttemptId())).toBe(old);
    old.transitionState('FAILED');
    const current = vertex.resetForNewExecution();
    expect(graph.getCurrentExecution(old.getAttemptId())).toBeUndefined();
    expect(graph.getCurrentExecution(current.getAttemptId())).toBe(current);
  });
});

describe('aggregate state of a job vertex', () => {
  const counts = (entries: Partial<Record<ExecutionState, number>>) => ({
    ...emptyStateCounts(),
    ...entries,
  });

  it.each([
    [{ FAILED: 1, RUNNING: 3 }, 4, 'FAILED'],
    [{ CANCELING: 1, CANCELED: 1, RUNNING: 1 }, 3, 'CANCELING'],
    [{ CANCELED: 1, RUNNING: 2 }, 3, 'CANCELED'],
    [{ INITIALIZING: 1, RUNNING: 2 }, 3, 'INITIALIZING'],
    [{ RUNNING: 1, FINISHED: 2 }, 3, 'RUNNING'],
    [{ FINISHED: 2, CREATED: 1 }, 3, 'RUNNING'],
    [{ FINISHED: 3 }, 3, 'FINISHED'],
    [{ DEPLOYING: 2, SCHEDULED: 1 }, 3, 'CREATED'],
    [{ SCHEDULED: 3 }, 3, 'CREATED'],
    [{ RECONCILING: 1 }, 1, 'CREATED'],
    [{ CREATED: 2 }, 2, 'CREATED'],
  ] as const)('%o of %d subtasks is %s', (entries, parallelism, expected) => {
    expect(aggregateExecutionState(counts(entries), parallelism)).toBe(expected);
  });

  it('is computed from the current attempts', () => {
    const { graph } = build();
    const source = graph.getVerticesTopologically()[0];
    if (source === undefined) throw new Error('no source');
    expect(source.getAggregateState()).toBe('CREATED');
    for (const state of RUN_TO_FINISH)
      source.getTaskVertex(0).getCurrentExecutionAttempt().transitionState(state);
    expect(source.getStateCounts()).toEqual(counts({ FINISHED: 1, CREATED: 1 }));
    expect(source.getAggregateState()).toBe('RUNNING');
    for (const state of RUN_TO_FINISH)
      source.getTaskVertex(1).getCurrentExecutionAttempt().transitionState(state);
    expect(source.getAggregateState()).toBe('FINISHED');
    expect(() => source.getTaskVertex(2)).toThrow(RangeError);
  });
});
