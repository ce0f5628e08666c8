import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { LibraryCacheManager } from '../blob/library-cache-manager.js';
import { ManualClock } from '../core/clock.js';
import { Configuration } from '../core/configuration.js';
import type { JobID } from '../core/ids.js';
import { Dispatcher } from '../dispatcher/dispatcher.js';
import { InMemoryExecutionGraphInfoStore } from '../dispatcher/stores.js';
import type { ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.js';
import { JobStatus } from '../executiongraph/job-status.js';
import { DistributionPattern, ResultPartitionType } from '../jobgraph/enums.js';
import { JobGraph } from '../jobgraph/job-graph.js';
import { JobVertex } from '../jobgraph/job-vertex.js';
import { LocalRpcService } from '../rpc/rpc-service.js';
import { StreamExecutionEnvironment } from '../streaming/job-builder.js';
import { CollectSink } from '../streaming/sinks/collect-sink.js';
import { AbstractStreamOperator } from '../streaming/stream-operator.js';
import { MiniCluster } from './mini-cluster.js';
import { MiniClusterConfiguration } from './mini-cluster-configuration.js';
import { EndlessSource, NumberSource, SumSink } from './testing-invokables.js';

let cluster: MiniCluster | undefined;
afterEach(async () => {
  await cluster?.closeAsync();
  cluster = undefined;
});

async function waitFor<T>(produce: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = await produce();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Timed out waiting for ${what}.`);
}

function endlessJob(config: Record<string, string>): JobGraph {
  const graph = new JobGraph('endless');
  const source = new JobVertex('Endless');
  source.setInvokableClass(EndlessSource);
  const sink = new JobVertex('Sink');
  sink.setInvokableClass(SumSink);
  sink.connectNewDataSetAsInput(source, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
  graph.addVertex(source);
  graph.addVertex(sink);
  graph.setJobConfiguration(new Configuration(config));
  return graph;
}

async function runningLocation(
  mc: MiniCluster,
  jobId: JobID,
): Promise<{ resourceId: string; attempt: number }> {
  return waitFor(async () => {
    const subtask = (await mc.getExecutionGraph(jobId)).getAllVertices()[0]?.subtasks[0];
    const execution = subtask?.currentExecution;
    return execution?.state === 'RUNNING' && execution.location !== undefined
      ? { resourceId: execution.location.resourceId, attempt: execution.attemptNumber }
      : undefined;
  }, 'a running task');
}

describe('resilience', () => {
  it('moves the tasks of a TaskExecutor that shuts down to another one', async () => {
    cluster = new MiniCluster(
      MiniClusterConfiguration.newBuilder().setNumTaskManagers(2).setNumSlotsPerTaskManager(1).build(),
    );
    const mc = cluster;
    await mc.start();
    const graph = endlessJob({
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.delay': '0 ms',
    });
    await mc.submitJob(graph);
    const first = await runningLocation(mc, graph.getJobID());
    const busy = mc.getTaskExecutors().find((te) => te.resourceId === first.resourceId);
    await busy?.closeAsync();
    const second = await waitFor(async () => {
      const location = await runningLocation(mc, graph.getJobID());
      return location.attempt > first.attempt ? location : undefined;
    }, 'the restarted task');
    expect(second.resourceId).not.toBe(first.resourceId);
    expect(await mc.getJobStatus(graph.getJobID())).toBe(JobStatus.RUNNING);
    // One failure, one restart: the gone TaskExecutor was dropped, not retried.
    expect((await mc.getExecutionGraph(graph.getJobID())).getExceptionHistory()).toHaveLength(1);
    await mc.cancelJob(graph.getJobID());
  });

  it('fails a job whose JobMaster cannot start, even with restarts configured', async () => {
    const clock = new ManualClock();
    const rpc = new LocalRpcService();
    const dispatcher = new Dispatcher({
      rpcService: rpc,
      resourceManagerAddress: 'local://no-such-resourcemanager',
      configuration: new Configuration({ 'restart-strategy.type': 'fixed-delay' }),
      clock,
      executor: clock,
      libraryCacheManager: new LibraryCacheManager(),
    });
    const graph = endlessJob({});
    await dispatcher.submitJob(graph);
    const result = await dispatcher.requestJobResult(graph.getJobID());
    expect(result.getApplicationStatus()).toBe('FAILED');
    expect(result.getSerializedThrowable()?.message).toMatch(/could not start/);
    await rpc.closeAsync();
  });

  it('keeps an ended job answerable when its archive cannot be stored, and stores it later', async () => {
    let failures = 1;
    class FlakyStore extends InMemoryExecutionGraphInfoStore {
      override put(archived: ArchivedExecutionGraph): Promise<void> {
        if (failures-- > 0) return Promise.reject(new Error('db down'));
        return super.put(archived);
      }
    }
    const store = new FlakyStore();
    cluster = new MiniCluster(MiniClusterConfiguration.newBuilder().setNumSlotsPerTaskManager(2).build(), {
      executionGraphInfoStore: store,
    });
    const mc = cluster;
    await mc.start();
    const graph = new JobGraph('quick');
    const source = new JobVertex('Numbers');
    source.setInvokableClass(NumberSource);
    const sink = new JobVertex('Sum');
    sink.setInvokableClass(SumSink);
    sink.connectNewDataSetAsInput(source, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
    graph.addVertex(source);
    graph.addVertex(sink);
    const result = await mc.executeJob(graph);
    expect(result.getApplicationStatus()).toBe('SUCCEEDED');
    expect((await mc.getExecutionGraph(graph.getJobID())).getState()).toBe(JobStatus.FINISHED);
    expect((await mc.listJobs()).map((job) => job.jobState)).toEqual([JobStatus.FINISHED]);
    await waitFor(
      async () => (await store.get(graph.getJobID())) ?? undefined,
      'the archive to be stored on retry',
    );
  });

  it('rejects stop-with-savepoint when the job fails after the savepoint instead of stopping', async () => {
    let throwOnce = true;
    class FailAtEndOfInput extends AbstractStreamOperator<number, number> {
      processElement(record: number): void {
        this.output.collect(record);
      }
      override endInput(): void {
        if (throwOnce) {
          throwOnce = false;
          throw new Error('cannot finish');
        }
      }
    }
    cluster = new MiniCluster(
      MiniClusterConfiguration.newBuilder()
        .setNumSlotsPerTaskManager(2)
        .setConfiguration(
          new Configuration({
            'restart-strategy.type': 'fixed-delay',
            'restart-strategy.fixed-delay.delay': '0 ms',
          }),
        )
        .build(),
    );
    const mc = cluster;
    await mc.start();
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    env.enableCheckpointing(3_600_000);
    env
      .fromGenerator({ generate: (i) => i, recordsPerSecond: 1000 })
      .uid('numbers')
      .transform('Fail at end', () => new FailAtEndOfInput())
      .uid('fail-at-end')
      .sinkTo(new CollectSink<number>());
    const jobGraph = env.getJobGraph('unstoppable');
    await mc.submitJob(jobGraph);
    await runningLocation(mc, jobGraph.getJobID());
    const savepoints = await mkdtemp(path.join(tmpdir(), 'eddy-unstoppable-'));
    try {
      await expect(mc.stopWithSavepoint(jobGraph.getJobID(), savepoints, true)).rejects.toThrow(
        /did not stop/,
      );
    } finally {
      await rm(savepoints, { recursive: true, force: true });
    }
    await waitFor(
      async () => ((await mc.getJobStatus(jobGraph.getJobID())) === JobStatus.RUNNING ? true : undefined),
      'the restarted job',
    );
    await mc.cancelJob(jobGraph.getJobID());
  });
});
