import { afterEach, describe, expect, it } from 'vitest';

import { Configuration } from '../core/configuration.js';
import { SerializedError } from '../core/errors.js';
import type { ExecutionAttemptID, JobID } from '../core/ids.js';
import { JobExecutionError } from '../dispatcher/job-result.js';
import { ExecutionState } from '../execution/execution-state.js';
import type { ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.js';
import { JobStatus } from '../executiongraph/job-status.js';
import { DistributionPattern, JobType, ResultPartitionType } from '../jobgraph/enums.js';
import { JobGraph } from '../jobgraph/job-graph.js';
import { JobVertex } from '../jobgraph/job-vertex.js';
import { InvalidJobGraphError } from '../jobgraph/job-graph-validator.js';
import { MiniCluster } from './mini-cluster.js';
import { MiniClusterConfiguration, RpcServiceSharing } from './mini-cluster-configuration.js';
import {
  EndlessSource,
  FailOnceForward,
  NumberSource,
  SlowSink,
  SumSink,
  observed,
} from './testing-invokables.js';

let cluster: MiniCluster | undefined;

async function startCluster(
  slots: number,
  config: Record<string, string> = {},
  taskManagers = 1,
): Promise<MiniCluster> {
  cluster = new MiniCluster(
    MiniClusterConfiguration.newBuilder()
      .setNumTaskManagers(taskManagers)
      .setNumSlotsPerTaskManager(slots)
      .setConfiguration(new Configuration(config))
      .build(),
  );
  await cluster.start();
  return cluster;
}

afterEach(async () => {
  // No job leaves partitions behind: pipelined ones go when consumed or cancelled, blocking ones at the end.
  await new Promise((resolve) => setTimeout(resolve, 10));
  for (const te of cluster?.getTaskExecutors() ?? [])
    expect(te.getShuffleEnvironment().getNumberOfPartitions()).toBe(0);
  await cluster?.closeAsync();
  cluster = undefined;
  observed.reset();
});

function vertex(
  name: string,
  invokable: new (...args: never[]) => unknown,
  parallelism: number,
  config: Record<string, string> = {},
) {
  const v = new JobVertex(name);
  v.setInvokableClass(invokable as never);
  v.setParallelism(parallelism);
  for (const [key, value] of Object.entries(config)) v.getConfiguration().setString(key, value);
  return v;
}

function pipeline(records: number, parallelism: number, jobConfig: Record<string, string> = {}) {
  const graph = new JobGraph('restart test');
  const source = vertex('Source', NumberSource, parallelism, { 'test.records': String(records) });
  const forward = vertex('FailOnce', FailOnceForward, parallelism);
  const sink = vertex('Sink', SumSink, 1);
  forward.connectNewDataSetAsInput(source, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
  sink.connectNewDataSetAsInput(forward, DistributionPattern.ALL_TO_ALL, ResultPartitionType.PIPELINED);
  for (const v of [source, forward, sink]) graph.addVertex(v);
  graph.setJobConfiguration(new Configuration(jobConfig));
  return graph;
}

async function waitForStatus(mc: MiniCluster, jobId: JobID, status: JobStatus): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await mc.getJobStatus(jobId)) === status) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`Job did not reach ${status}; it is ${await mc.getJobStatus(jobId)}.`);
}

function subtasks(graph: ArchivedExecutionGraph, name: string) {
  const v = graph.getAllVertices().find((candidate) => candidate.name === name);
  if (v === undefined) throw new Error(`no vertex ${name}`);
  return v.subtasks;
}

describe('MiniCluster: failover', () => {
  it('restarts a task that throws once (fixed-delay) and still gives the exact result', async () => {
    const mc = await startCluster(4);
    const graph = pipeline(10_000, 2, {
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': '3',
      'restart-strategy.fixed-delay.delay': '10 ms',
    });
    const result = await mc.executeJob(graph);
    expect(result.getApplicationStatus()).toBe('SUCCEEDED');
    expect(result.getAccumulatorResults().sum).toBe((10_000 * 10_001) / 2);
    const archived = await mc.getExecutionGraph(graph.getJobID());
    // A streaming job is one pipelined region: every task ran a second attempt.
    for (const name of ['Source', 'FailOnce', 'Sink']) {
      for (const subtask of subtasks(archived, name)) expect(subtask.currentExecution.attemptNumber).toBe(1);
    }
    expect(archived.getExceptionHistory()).toHaveLength(1);
    expect(archived.getExceptionHistory()[0]?.exception.message).toBe(
      'Injected failure of the first attempt',
    );
    expect(archived.getExceptionHistory()[0]?.failingTaskName).toBe('FailOnce (1/2)');
    expect(archived.getStatusTimestamp(JobStatus.RESTARTING)).toBeGreaterThan(0);
  });

  it('fails the job with restart strategy none and hands the cause to the JobResult', async () => {
    const mc = await startCluster(4);
    const graph = pipeline(10_000, 2, { 'restart-strategy.type': 'none' });
    const result = await mc.executeJob(graph);
    expect(result.getApplicationStatus()).toBe('FAILED');
    expect(result.getSerializedThrowable()?.message).toBe('Injected failure of the first attempt');
    expect(() => result.getJobExecutionResult()).toThrow(JobExecutionError);
    const archived = await mc.getExecutionGraph(graph.getJobID());
    expect(archived.getState()).toBe(JobStatus.FAILED);
    expect(archived.getStatusTimestamp(JobStatus.FAILING)).toBeGreaterThan(0);
    expect(archived.getFailureCauseAsString()).toContain('Injected failure of the first attempt');
    // Every task ended: the failed one FAILED, the others cancelled by the failover.
    const states = archived.getAllVertices().flatMap((v) => v.subtasks.map((s) => s.currentExecution.state));
    expect(states.filter((s) => s === ExecutionState.FAILED)).toHaveLength(1);
    expect(
      states.every(
        (s) => s === ExecutionState.FAILED || s === ExecutionState.CANCELED || s === ExecutionState.FINISHED,
      ),
    ).toBe(true);
  });

  it('defaults to no restart when checkpointing is off', async () => {
    const mc = await startCluster(4);
    const result = await mc.executeJob(pipeline(1_000, 1));
    expect(result.getApplicationStatus()).toBe('FAILED');
  });

  it('restarts only the failed region of a batch job with a BLOCKING exchange', async () => {
    const mc = await startCluster(4, {
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.delay': '0 ms',
    });
    const graph = new JobGraph('two stages');
    graph.setJobType(JobType.BATCH);
    const source = vertex('Stage1', NumberSource, 2, { 'test.records': '5000' });
    const stage2 = vertex('Stage2', FailOnceForward, 2);
    const sink = vertex('Sink', SumSink, 1);
    stage2.connectNewDataSetAsInput(source, DistributionPattern.ALL_TO_ALL, ResultPartitionType.BLOCKING);
    sink.connectNewDataSetAsInput(stage2, DistributionPattern.ALL_TO_ALL, ResultPartitionType.PIPELINED);
    for (const v of [source, stage2, sink]) graph.addVertex(v);

    const result = await mc.executeJob(graph);
    expect(result.getApplicationStatus()).toBe('SUCCEEDED');
    expect(result.getAccumulatorResults().sum).toBe((5000 * 5001) / 2);
    const archived = await mc.getExecutionGraph(graph.getJobID());
    for (const subtask of subtasks(archived, 'Stage1'))
      expect(subtask.currentExecution.attemptNumber).toBe(0);
    for (const subtask of subtasks(archived, 'Stage2'))
      expect(subtask.currentExecution.attemptNumber).toBe(1);
    for (const subtask of subtasks(archived, 'Sink')) expect(subtask.currentExecution.attemptNumber).toBe(1);
    // Stage by stage: the second stage was deployed only after the first finished.
    const stage1Finished = Math.max(
      ...subtasks(archived, 'Stage1').map((s) => s.currentExecution.stateTimestamps.FINISHED),
    );
    for (const subtask of subtasks(archived, 'Stage2')) {
      expect(subtask.priorExecutions[0]?.stateTimestamps.DEPLOYING).toBeGreaterThanOrEqual(stage1Finished);
    }
  });
});

describe('MiniCluster: stale reports', () => {
  it('ignores a state report for an attempt that a restart superseded', async () => {
    const mc = await startCluster(4);
    const graph = new JobGraph('stale report');
    const source = vertex('Endless', EndlessSource, 1);
    const forward = vertex('FailOnce', FailOnceForward, 1, { 'test.fail-after': '10' });
    const sink = vertex('Sink', SumSink, 1);
    forward.connectNewDataSetAsInput(source, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
    sink.connectNewDataSetAsInput(forward, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
    for (const v of [source, forward, sink]) graph.addVertex(v);
    graph.setJobConfiguration(
      new Configuration({
        'restart-strategy.type': 'fixed-delay',
        'restart-strategy.fixed-delay.delay': '0 ms',
      }),
    );
    await mc.submitJob(graph);
    let old: string | undefined;
    for (let i = 0; i < 500 && old === undefined; i++) {
      const archived = await mc.getExecutionGraph(graph.getJobID());
      const subtask = subtasks(archived, 'FailOnce')[0];
      if (subtask?.currentExecution.attemptNumber === 1 && subtask.currentExecution.state === 'RUNNING') {
        old = subtask.priorExecutions[0]?.attemptId;
      } else await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(old).toBeDefined();
    const jobMaster = mc.getDispatcher().getJobMaster(graph.getJobID());
    const accepted = await jobMaster?.updateTaskExecutionState({
      jobId: graph.getJobID(),
      executionId: old as ExecutionAttemptID,
      state: ExecutionState.FAILED,
      error: { name: 'Error', message: 'a late report of the first attempt' },
    });
    expect(accepted).toBe(false);
    expect(await mc.getJobStatus(graph.getJobID())).toBe(JobStatus.RUNNING);
    expect((await mc.getExecutionGraph(graph.getJobID())).getExceptionHistory()).toHaveLength(1);
    await mc.cancelJob(graph.getJobID());
    expect((await mc.requestJobResult(graph.getJobID())).getApplicationStatus()).toBe('CANCELED');
  });
});

describe('MiniCluster: cancellation', () => {
  it('cancels a running job: CANCELED with every task canceled', async () => {
    const mc = await startCluster(2);
    const graph = new JobGraph('endless');
    const source = vertex('Endless', EndlessSource, 2);
    const sink = vertex('Sink', SumSink, 2);
    sink.connectNewDataSetAsInput(source, DistributionPattern.ALL_TO_ALL, ResultPartitionType.PIPELINED);
    graph.addVertex(source);
    graph.addVertex(sink);
    await mc.submitJob(graph);
    await waitForStatus(mc, graph.getJobID(), JobStatus.RUNNING);
    for (let i = 0; i < 200; i++) {
      const running = (await mc.getExecutionGraph(graph.getJobID()))
        .getAllVertices()
        .every((v) => v.subtasks.every((s) => s.currentExecution.state === ExecutionState.RUNNING));
      if (running) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await mc.cancelJob(graph.getJobID());
    const result = await mc.requestJobResult(graph.getJobID());
    expect(result.getApplicationStatus()).toBe('CANCELED');
    const archived = await mc.getExecutionGraph(graph.getJobID());
    expect(archived.getState()).toBe(JobStatus.CANCELED);
    expect(archived.getStatusTimestamp(JobStatus.CANCELLING)).toBeGreaterThan(0);
    for (const v of archived.getAllVertices()) {
      for (const s of v.subtasks) {
        expect(s.currentExecution.state).toBe(ExecutionState.CANCELED);
        expect(s.currentExecution.stateTimestamps.RUNNING).toBeGreaterThan(0);
      }
    }
    // The slots went back: a new job can use them.
    expect(mc.getResourceManager().getNumberOfFreeSlots()).toBe(2);
    await expect(mc.cancelJob(graph.getJobID())).rejects.toThrow(/terminal state CANCELED/);
  });
});

describe('MiniCluster: resources', () => {
  it('runs a job of parallelism 4 with three vertices in 4 slots (slot sharing)', async () => {
    const mc = await startCluster(4);
    const result = await mc.executeJob(
      pipeline(1000, 4, {
        'restart-strategy.type': 'fixed-delay',
        'restart-strategy.fixed-delay.delay': '0 ms',
      }),
    );
    expect(result.getApplicationStatus()).toBe('SUCCEEDED');
    expect(result.getAccumulatorResults().sum).toBe((1000 * 1001) / 2);
  });

  it('fails a job that cannot get its slots after slot.request.timeout, saying so', async () => {
    const mc = await startCluster(2, { 'slot.request.timeout': '200 ms' });
    const graph = pipeline(100, 4, { 'restart-strategy.type': 'none' });
    const result = await mc.executeJob(graph);
    expect(result.getApplicationStatus()).toBe('FAILED');
    const cause = result.getSerializedThrowable();
    expect(cause?.name).toBe('NoResourceAvailableError');
    expect(cause?.message).toMatch(/slot request timeout/i);
    expect(SerializedError.toString(cause ?? { name: '', message: '' })).toContain('slot.request.timeout');
    expect(mc.getResourceManager().getNumberOfFreeSlots()).toBe(2);
  });

  it('runs with a dedicated RPC service per component', async () => {
    cluster = new MiniCluster(
      MiniClusterConfiguration.newBuilder()
        .setNumTaskManagers(2)
        .setNumSlotsPerTaskManager(1)
        .setRpcServiceSharing(RpcServiceSharing.DEDICATED)
        .build(),
    );
    await cluster.start();
    const result = await cluster.executeJob(
      pipeline(500, 2, {
        'restart-strategy.type': 'fixed-delay',
        'restart-strategy.fixed-delay.delay': '0 ms',
      }),
    );
    expect(result.getAccumulatorResults().sum).toBe((500 * 501) / 2);
    expect(cluster.getResourceManager().getNumberOfRegisteredTaskExecutors()).toBe(2);
  });

  it('rejects an invalid job graph at submission, listing the problems', async () => {
    const mc = await startCluster(1);
    const graph = new JobGraph('invalid');
    const v = new JobVertex('No invokable');
    graph.addVertex(v);
    const named = new JobVertex('Unknown');
    named.setInvokableClassName('no.such.invokable');
    graph.addVertex(named);
    const error = await mc.submitJob(graph).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidJobGraphError);
    expect((error as InvalidJobGraphError).problems).toEqual([
      "Vertex 'No invokable' has no invokable.",
      "Vertex 'Unknown' names the invokable 'no.such.invokable', which is not registered.",
    ]);
    expect(await mc.listJobs()).toEqual([]);
  });
});

describe('MiniCluster: backpressure', () => {
  it('bounds what a fast source has in flight to a slow sink', async () => {
    const mc = await startCluster(2, { 'taskmanager.network.batch-size': '256' });
    const graph = new JobGraph('backpressure');
    const source = vertex('Fast', NumberSource, 1, { 'test.records': '200000' });
    const sink = vertex('Slow', SlowSink, 1, { 'test.pause-ms': '1' });
    sink.connectNewDataSetAsInput(source, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
    graph.addVertex(source);
    graph.addVertex(sink);
    const result = await mc.executeJob(graph);
    expect(result.getApplicationStatus()).toBe('SUCCEEDED');
    expect(observed.consumed).toBe(200_000);
    // Queue bound (2 buffers) + the partial buffer being filled + the one being read, of 256 records.
    expect(observed.maxInFlight).toBeLessThanOrEqual(256 * 4);
    expect(observed.maxInFlight).toBeGreaterThan(0);
  });
});
