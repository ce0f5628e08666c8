import { describe, expect, it } from 'vitest';

import { ManualClock } from '../core/clock.js';
import { Configuration } from '../core/configuration.js';
import { AllocationID, JobID, JobVertexID, ResourceID } from '../core/ids.js';
import type { ExecutionState } from '../execution/execution-state.js';
import { DistributionPattern, JobType, ResultPartitionType } from '../jobgraph/enums.js';
import { JobGraph } from '../jobgraph/job-graph.js';
import { JobVertex } from '../jobgraph/job-vertex.js';
import { ArchivedExecutionGraph } from './archived-execution-graph.js';
import type { ExceptionHistoryEntry } from './archived-execution-graph.js';
import { DefaultExecutionGraph } from './default-execution-graph.js';
import type { Execution } from './execution.js';

const LOCATION = {
  resourceId: ResourceID.of('tm-1'),
  host: 'host-1',
  dataPort: 6121,
  address: 'tcp://host-1:6122',
};
const FAILURE = {
  exception: { name: 'IOException', message: 'disk full', stack: 'IOException: disk full\n  at x' },
};

function step(clock: ManualClock, execution: Execution, states: readonly ExecutionState[]): void {
  for (const state of states) {
    clock.advance(1);
    execution.transitionState(state);
  }
}

/**
 * Source (2) → Sink (1) that ran: source 0 finished, source 1 failed once, was restarted and
 * failed again; the sink was cancelled; the job failed.
 */
function ranAndFailed(): {
  graph: DefaultExecutionGraph;
  clock: ManualClock;
  source: JobVertex;
  sink: JobVertex;
} {
  const clock = new ManualClock(1000);
  const source = new JobVertex('Source');
  source.setParallelism(2);
  source.setInvokableClassName('eddy.sequence-source');
  const sink = new JobVertex('Sink');
  sink.setParallelism(1);
  sink.setMaxParallelism(8);
  sink.setInvokableClassName('eddy.collect-sink');
  sink.connectNewDataSetAsInput(source, DistributionPattern.ALL_TO_ALL, ResultPartitionType.PIPELINED, {
    type: 'hash',
  });
  const jobGraph = new JobGraph('archived job');
  jobGraph.setJobType(JobType.BATCH);
  jobGraph.setJobConfiguration(Configuration.fromMap({ 'parallelism.default': '2' }));
  jobGraph.addVertex(source);
  jobGraph.addVertex(sink);
  const graph = DefaultExecutionGraph.build(jobGraph, { clock, initializationTimestamp: 900 });

  clock.advance(10);
  graph.transitionState('CREATED', 'RUNNING');
  const [s0, s1, k0] = [...graph.getAllExecutionVertices()];
  if (s0 === undefined || s1 === undefined || k0 === undefined) throw new Error('missing vertices');

  const first = s0.getCurrentExecutionAttempt();
  first.setAssignedResource({ allocationId: AllocationID.generate(), location: LOCATION });
  step(clock, first, ['SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING', 'FINISHED']);
  first.setFinalReport(
    { numRecordsIn: 0, numRecordsOut: 500, numBuffersIn: 0, numBuffersOut: 5 },
    { records: { type: 'LongCounter', value: 500 } },
  );

  step(clock, s1.getCurrentExecutionAttempt(), ['SCHEDULED', 'DEPLOYING']);
  clock.advance(1);
  s1.getCurrentExecutionAttempt().transitionState('FAILED', {
    ...FAILURE,
    timestamp: clock.absoluteTimeMillis(),
  });
  s1.resetForNewExecution();
  step(clock, s1.getCurrentExecutionAttempt(), ['SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RUNNING']);
  s1.getCurrentExecutionAttempt().setFinalReport(undefined, { records: { type: 'LongCounter', value: 20 } });
  clock.advance(1);
  s1.getCurrentExecutionAttempt().transitionState('FAILED', {
    ...FAILURE,
    timestamp: clock.absoluteTimeMillis(),
  });

  step(clock, k0.getCurrentExecutionAttempt(), ['CANCELED']);

  clock.advance(1);
  graph.transitionState('RUNNING', 'FAILING', { ...FAILURE, timestamp: clock.absoluteTimeMillis() });
  clock.advance(1);
  graph.transitionState('FAILING', 'FAILED');
  return { graph, clock, source, sink };
}

describe('DefaultExecutionGraph.archive', () => {
  it('carries the job, its status timestamps and its failure', () => {
    const { graph } = ranAndFailed();
    const archive = graph.archive();
    expect(archive.getJobID()).toBe(graph.getJobID());
    expect(archive.getJobName()).toBe('archived job');
    expect(archive.getJobType()).toBe('BATCH');
    expect(archive.getState()).toBe('FAILED');
    expect(archive.isStoppable()).toBe(false);
    expect(archive.archive()).toBe(archive);
    expect(archive.getStatusTimestamp('INITIALIZING')).toBe(900);
    expect(archive.getStatusTimestamp('CREATED')).toBe(1000);
    expect(archive.getStatusTimestamp('RUNNING')).toBe(1010);
    expect(archive.getStatusTimestamp('FAILING')).toBe(graph.getStatusTimestamp('FAILING'));
    expect(archive.getStatusTimestamp('FAILED')).toBe(graph.getStatusTimestamp('FAILING') + 1);
    expect(archive.getStatusTimestamp('CANCELED')).toBe(0);
    expect(archive.getFailureInfo()).toEqual(graph.getFailureInfo());
    expect(archive.getFailureInfo()?.exception.message).toBe('disk full');
    expect(archive.getFailureCauseAsString()).toBe('IOException: disk full\n  at x');
    expect(archive.getJobConfiguration().getString('parallelism.default')).toBe('2');
    expect(archive.getAccumulators()).toEqual({ records: { type: 'LongCounter', value: 520 } });
  });

  it('carries every vertex with its aggregate state, counts, inputs and subtasks', () => {
    const { graph, source, sink } = ranAndFailed();
    const archive = graph.archive();
    expect(archive.getAllVertices().map((v) => v.name)).toEqual(['Source', 'Sink']);
    expect(archive.getJobVertex(JobVertexID.generate())).toBeUndefined();

    const archivedSource = archive.getJobVertex(source.getID());
    expect(archivedSource?.parallelism).toBe(2);
    expect(archivedSource?.maxParallelism).toBe(128);
    expect(archivedSource?.invokable).toBe('eddy.sequence-source');
    expect(archivedSource?.aggregateState).toBe('FAILED');
    expect(archivedSource?.stateCounts.FINISHED).toBe(1);
    expect(archivedSource?.stateCounts.FAILED).toBe(1);
    expect(archivedSource?.inputs).toEqual([]);
    expect(archivedSource?.accumulators).toEqual({ records: { type: 'LongCounter', value: 520 } });

    const [finished, restarted] = archivedSource?.subtasks ?? [];
    expect(finished?.subtaskIndex).toBe(0);
    expect(finished?.taskNameWithSubtaskIndex).toBe('Source (1/2)');
    expect(finished?.currentExecution.state).toBe('FINISHED');
    expect(finished?.currentExecution.attemptNumber).toBe(0);
    expect(finished?.currentExecution.location).toEqual(LOCATION);
    expect(finished?.currentExecution.ioMetrics?.numRecordsOut).toBe(500);
    expect(finished?.currentExecution.stateTimestamps.CREATED).toBe(1000);
    expect(finished?.currentExecution.stateTimestamps.SCHEDULED).toBe(1011);
    expect(finished?.currentExecution.stateTimestamps.FINISHED).toBe(1015);
    expect(finished?.currentExecution.failureInfo).toBeUndefined();
    expect(finished?.priorExecutions).toEqual([]);

    expect(restarted?.taskNameWithSubtaskIndex).toBe('Source (2/2)');
    expect(restarted?.currentExecution.attemptNumber).toBe(1);
    expect(restarted?.currentExecution.state).toBe('FAILED');
    expect(restarted?.currentExecution.failureInfo?.exception.name).toBe('IOException');
    expect(restarted?.priorExecutions.map((e) => [e.attemptNumber, e.state])).toEqual([[0, 'FAILED']]);
    expect(restarted?.priorExecutions[0]?.failureInfo?.timestamp).toBe(
      restarted?.priorExecutions[0]?.stateTimestamps.FAILED,
    );
    expect(restarted?.currentExecution.attemptId).not.toBe(restarted?.priorExecutions[0]?.attemptId);

    const archivedSink = archive.getJobVertex(sink.getID());
    expect(archivedSink?.maxParallelism).toBe(8);
    expect(archivedSink?.aggregateState).toBe('CANCELED');
    expect(archivedSink?.inputs).toEqual([
      {
        dataSetId: source.getProducedDataSets()[0]?.getId(),
        source: source.getID(),
        distributionPattern: 'ALL_TO_ALL',
        resultPartitionType: 'PIPELINED',
        shipStrategy: 'HASH',
      },
    ]);
  });

  it('is a snapshot: later changes to the graph do not reach it', () => {
    const { graph } = ranAndFailed();
    const archive = graph.archive();
    const before = JSON.stringify(archive.toJson());
    const vertex = [...graph.getAllExecutionVertices()][1];
    vertex?.resetForNewExecution();
    expect(JSON.stringify(archive.toJson())).toBe(before);
    expect(JSON.stringify(graph.archive().toJson())).not.toBe(before);
  });

  it('round-trips through ArchivedExecutionGraph.fromJson(toJson()) and a JSON string', () => {
    const { graph } = ranAndFailed();
    const history: ExceptionHistoryEntry[] = [
      {
        exception: FAILURE.exception,
        timestamp: 1020,
        failingTaskName: 'Source (2/2)',
        taskManagerLocation: LOCATION,
        concurrentExceptions: [
          { exception: { name: 'E', message: 'also' }, timestamp: 1020, concurrentExceptions: [] },
        ],
      },
    ];
    const archive = graph.archive(history);
    expect(archive.getExceptionHistory()).toEqual(history);
    const json = archive.toJson();
    const copy = ArchivedExecutionGraph.fromJson(JSON.parse(JSON.stringify(json)) as typeof json);
    expect(copy.toJson()).toStrictEqual(JSON.parse(JSON.stringify(json)));
    expect(JSON.stringify(copy.toJson())).toBe(JSON.stringify(json));
    expect(copy.getState()).toBe('FAILED');
    expect(copy.getStatusTimestamp('RUNNING')).toBe(1010);
    expect(copy.getFailureCauseAsString()).toBe(archive.getFailureCauseAsString());
    expect(copy.getJobConfiguration().toMap()).toEqual({ 'parallelism.default': '2' });
    expect(copy.getAllVertices()[0]?.subtasks[1]?.priorExecutions).toHaveLength(1);
  });
});

describe('ArchivedExecutionGraph.createSparse', () => {
  it('describes a job that ended before it had an execution graph', () => {
    const jobId = JobID.generate();
    const failureInfo = { exception: { name: 'Error', message: 'no master' }, timestamp: 5 };
    const sparse = ArchivedExecutionGraph.createSparse({
      jobId,
      jobName: 'early',
      jobType: JobType.STREAMING,
      state: 'FAILED',
      failureInfo,
      stateTimestamps: { INITIALIZING: 1, FAILED: 5 },
    });
    expect(sparse.getJobID()).toBe(jobId);
    expect(sparse.getState()).toBe('FAILED');
    expect(sparse.getFailureInfo()).toEqual(failureInfo);
    expect(sparse.getFailureCauseAsString()).toBe('Error: no master');
    expect(sparse.getStatusTimestamp('FAILED')).toBe(5);
    expect(sparse.getStatusTimestamp('RUNNING')).toBe(0);
    expect(sparse.getAllVertices()).toEqual([]);
    expect(sparse.getJobConfiguration().keySet()).toEqual([]);
    const copy = ArchivedExecutionGraph.fromJson(
      JSON.parse(JSON.stringify(sparse.toJson())) as ReturnType<ArchivedExecutionGraph['toJson']>,
    );
    expect(copy.toJson()).toEqual(sparse.toJson());
  });

  it('prints (empty) without a failure', () => {
    const sparse = ArchivedExecutionGraph.createSparse({
      jobId: JobID.generate(),
      jobName: 'cancelled',
      jobType: JobType.BATCH,
      state: 'CANCELED',
      stateTimestamps: {},
    });
    expect(sparse.getFailureCauseAsString()).toBe('(empty)');
    expect(sparse.toJson().failureInfo).toBeUndefined();
  });
});
