import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { Configuration } from '../core/configuration.js';
import type { JobID } from '../core/ids.js';
import { JobStatus } from '../executiongraph/job-status.js';
import { SavepointRestoreSettings } from '../jobgraph/savepoint-restore-settings.js';
import { MiniCluster } from '../minicluster/mini-cluster.js';
import { MiniClusterConfiguration } from '../minicluster/mini-cluster-configuration.js';
import { StreamExecutionEnvironment } from './job-builder.js';
import { CollectSink } from './sinks/collect-sink.js';
import { AbstractStreamOperator } from './stream-operator.js';

let cluster: MiniCluster | undefined;
let directory: string | undefined;
afterEach(async () => {
  await cluster?.closeAsync();
  cluster = undefined;
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

async function start(config: Record<string, string | number> = {}): Promise<MiniCluster> {
  cluster = new MiniCluster(
    MiniClusterConfiguration.newBuilder()
      .setNumSlotsPerTaskManager(4)
      .setConfiguration(new Configuration(config))
      .build(),
  );
  await cluster.start();
  return cluster;
}

async function waitUntilRunning(mc: MiniCluster, jobId: JobID): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const graph = await mc.getExecutionGraph(jobId);
    if (graph.getAllVertices().every((v) => v.subtasks.every((s) => s.currentExecution.state === 'RUNNING')))
      return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('The job did not start running.');
}

/** Forwards records; each snapshot takes 25 ms, longer than the checkpoint timeout used below. */
class SlowSnapshot extends AbstractStreamOperator<number, number> {
  processElement(record: number): void {
    this.output.collect(record);
  }
  override snapshotState(): void {
    const until = performance.now() + 25;
    while (performance.now() < until) {
      // Busy on purpose: the synchronous part of the snapshot outlasts the timeout.
    }
  }
}

/** Its first snapshot (over all attempts) fails in the synchronous part. */
let snapshotsFailed = 0;
class FailFirstSnapshot extends AbstractStreamOperator<number, number> {
  processElement(record: number): void {
    this.output.collect(record);
  }
  override snapshotState(): void {
    if (snapshotsFailed === 0) {
      snapshotsFailed++;
      throw new Error('This operator cannot snapshot');
    }
  }
}

/** Forwards records and emits -1 when its input ends (only a drained stop ends the input). */
class MarkEndOfInput extends AbstractStreamOperator<number, number> {
  processElement(record: number): void {
    this.output.collect(record);
  }
  override endInput(): void {
    this.output.collect(-1);
  }
}

function busyJob(name: string, options: Parameters<StreamExecutionEnvironment['enableCheckpointing']>[1]) {
  const env = StreamExecutionEnvironment.create({ parallelism: 1 });
  env.enableCheckpointing(40, options);
  env
    .fromGenerator({ generate: (i) => i, recordsPerSecond: 1000 })
    .uid('numbers')
    .transform('Slow snapshot', () => new SlowSnapshot())
    .uid('slow-snapshot')
    .sinkTo(new CollectSink<number>('numbers'))
    .uid('collect');
  return env.getJobGraph(name);
}

describe('checkpoint failures', () => {
  it('an expired checkpoint leaves no _metadata, and the job goes on', async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'eddy-expired-'));
    const mc = await start({ 'execution.checkpointing.dir': directory });
    const jobGraph = busyJob('expiring', {
      timeoutMs: 10,
      tolerableFailedCheckpoints: 1000,
      retention: 'RETAIN_ON_CANCELLATION',
    });
    await mc.submitJob(jobGraph);
    for (let i = 0; i < 300; i++) {
      const stats = (await mc.getExecutionGraph(jobGraph.getJobID())).getCheckpointStatsSnapshot();
      if ((stats?.counts.failed ?? 0) >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const stats = (await mc.getExecutionGraph(jobGraph.getJobID())).getCheckpointStatsSnapshot();
    expect(stats?.counts.failed).toBeGreaterThanOrEqual(3);
    expect(stats?.latest.failed?.failureMessage).toMatch(/expired/i);
    expect(await mc.getJobStatus(jobGraph.getJobID())).toBe(JobStatus.RUNNING);
    await mc.cancelJob(jobGraph.getJobID());
    expect((await mc.requestJobResult(jobGraph.getJobID())).getApplicationStatus()).toBe('CANCELED');

    // Only completed checkpoints ever have a directory with _metadata; failed ones left nothing.
    const jobDirectory = path.join(directory, jobGraph.getJobID());
    const failedId = stats?.latest.failed?.checkpointId ?? -1;
    const checkpointDirectories = (await readdir(jobDirectory)).filter((name) => name.startsWith('chk-'));
    expect(checkpointDirectories).not.toContain(`chk-${failedId}`);
    for (const name of checkpointDirectories) await access(path.join(jobDirectory, name, '_metadata'));
  });

  it('fails the job when more checkpoints fail in a row than tolerated', async () => {
    const mc = await start();
    const jobGraph = busyJob('intolerant', { timeoutMs: 10 });
    jobGraph.setJobConfiguration(new Configuration({ 'restart-strategy.type': 'none' }));
    const result = await mc.executeJob(jobGraph);
    expect(result.getApplicationStatus()).toBe('FAILED');
    expect(result.getSerializedThrowable()?.message).toMatch(/tolerable failure threshold/i);
  });

  it('a failure in the synchronous part of a snapshot fails the task; the job recovers', async () => {
    snapshotsFailed = 0;
    const mc = await start();
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    env.enableCheckpointing(20);
    env
      .fromGenerator({ generate: (i) => i, count: 600, recordsPerSecond: 2000 })
      .uid('numbers')
      .transform('Fail first snapshot', () => new FailFirstSnapshot())
      .uid('fail-first-snapshot')
      .map((n): [number, number] => [n % 5, n])
      .keyBy(([key]) => key)
      .reduce(([key, a], [, b]): [number, number] => [key, a + b])
      .uid('sums')
      .sinkTo(new CollectSink<[number, number]>('sums'))
      .uid('collect');
    const jobGraph = env.getJobGraph('sync failure');
    jobGraph.setJobConfiguration(
      new Configuration({
        'restart-strategy.type': 'fixed-delay',
        'restart-strategy.fixed-delay.delay': '0 ms',
      }),
    );
    const result = await mc.executeJob(jobGraph);
    expect(result.getApplicationStatus()).toBe('SUCCEEDED');
    const archived = await mc.getExecutionGraph(jobGraph.getJobID());
    expect(archived.getExceptionHistory()[0]?.exception.message).toMatch(
      /synchronous part of checkpoint \d+ failed: This operator cannot snapshot/,
    );
    // The running sums end exactly at each key's total: nothing lost or counted twice across the restart.
    const sums = result.getJobExecutionResult().getAccumulatorResult<[number, number][]>('sums') ?? [];
    const finals = new Map<number, number>();
    for (const [key, sum] of sums) finals.set(key, Math.max(finals.get(key) ?? 0, sum));
    const expected = new Map<number, number>();
    for (let n = 0; n < 600; n++) expected.set(n % 5, (expected.get(n % 5) ?? 0) + n);
    expect(finals).toEqual(expected);
  });
});

describe('stop-with-savepoint and savepoint disposal', () => {
  it.each([
    [true, true],
    [false, false],
  ])('drain=%s: the job FINISHES, and its input ends (end-of-input seen: %s)', async (drain, endSeen) => {
    directory = await mkdtemp(path.join(tmpdir(), 'eddy-stop-'));
    const mc = await start();
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    env.enableCheckpointing(3_600_000);
    env
      .fromGenerator({ generate: (i) => i, recordsPerSecond: 2000 })
      .uid('numbers')
      .transform('Mark end', () => new MarkEndOfInput())
      .uid('mark-end')
      .sinkTo(new CollectSink<number>('numbers'))
      .uid('collect');
    const jobGraph = env.getJobGraph('stop');
    await mc.submitJob(jobGraph);
    await waitUntilRunning(mc, jobGraph.getJobID());
    const savepoint = await mc.stopWithSavepoint(jobGraph.getJobID(), directory, drain);
    const result = await mc.requestJobResult(jobGraph.getJobID());
    expect(result.getApplicationStatus()).toBe('SUCCEEDED');
    await access(path.join(savepoint, '_metadata'));
    const numbers = result.getJobExecutionResult().getAccumulatorResult<number[]>('numbers') ?? [];
    expect(numbers.includes(-1)).toBe(endSeen);

    await mc.disposeSavepoint(savepoint);
    await expect(access(savepoint)).rejects.toThrow();
    await expect(mc.disposeSavepoint(directory)).rejects.toThrow(
      /no _metadata|not a checkpoint or savepoint/,
    );
  });

  it('refuses a savepoint without a directory, and keeps the job running', async () => {
    const mc = await start();
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    env.enableCheckpointing(3_600_000);
    env
      .fromGenerator({ generate: (i) => i, recordsPerSecond: 500 })
      .uid('numbers')
      .sinkTo(new CollectSink<number>());
    const jobGraph = env.getJobGraph('no savepoint dir');
    await mc.submitJob(jobGraph);
    await waitUntilRunning(mc, jobGraph.getJobID());
    await expect(mc.triggerSavepoint(jobGraph.getJobID(), null)).rejects.toThrow(
      /No savepoint directory configured/,
    );
    expect(await mc.getJobStatus(jobGraph.getJobID())).toBe(JobStatus.RUNNING);
  });

  it('fails a job whose savepoint holds state of an operator it does not have, unless allowed', async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'eddy-nonrestored-'));
    const mc = await start({ 'execution.checkpointing.savepoint-dir': directory });
    const build = (withExtraOperator: boolean) => {
      const env = StreamExecutionEnvironment.create({ parallelism: 1 });
      env.enableCheckpointing(3_600_000);
      let stream = env
        .fromGenerator({ generate: (i) => i, count: 100_000, recordsPerSecond: 1000 })
        .uid('numbers');
      if (withExtraOperator)
        stream = stream
          .transform('Extra', () => new MarkEndOfInput())
          .uid('extra')
          .rebalance();
      stream
        .keyBy((n) => n % 3)
        .reduce((a, b) => a + b)
        .uid('sums')
        .sinkTo(new CollectSink<number>());
      return env.getJobGraph('v1');
    };
    const first = build(true);
    await mc.submitJob(first);
    await waitUntilRunning(mc, first.getJobID());
    const savepoint = await mc.triggerSavepoint(first.getJobID(), null);
    await mc.cancelJob(first.getJobID());

    const strict = build(false);
    strict.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint));
    const failed = await mc.executeJob(strict);
    expect(failed.getApplicationStatus()).toBe('FAILED');
    expect(failed.getSerializedThrowable()?.message).toMatch(/allowNonRestoredState/);

    const lenient = build(false);
    lenient.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, true));
    await mc.submitJob(lenient);
    await waitUntilRunning(mc, lenient.getJobID());
    await mc.cancelJob(lenient.getJobID());
    // NO_CLAIM (the default): the savepoint is never deleted by the jobs that restored it.
    await access(path.join(savepoint, '_metadata'));
  });
});
