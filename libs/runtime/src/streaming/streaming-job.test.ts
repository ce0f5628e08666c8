import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Configuration } from '../core/configuration.js';
import { MiniCluster } from '../minicluster/mini-cluster.js';
import { MiniClusterConfiguration } from '../minicluster/mini-cluster-configuration.js';
import { StreamExecutionEnvironment } from './job-builder.js';
import { CollectSink } from './sinks/collect-sink.js';
import { FileSink } from './sinks/file-sink.js';

interface KeyedSum {
  readonly key: number;
  readonly sum: number;
}

describe('a streaming job on a MiniCluster', () => {
  let cluster: MiniCluster;
  beforeEach(async () => {
    cluster = new MiniCluster(
      new MiniClusterConfiguration.Builder().setNumTaskManagers(1).setNumSlotsPerTaskManager(4).build(),
    );
    await cluster.start();
  });
  afterEach(async () => {
    await cluster.closeAsync();
  });

  it('runs a keyed job built with the fluent API to FINISHED with its results', async () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    env
      .fromSequence(1, 10_000)
      .uid('numbers')
      .filter((n) => n % 2 === 0)
      .map((n): KeyedSum => ({ key: n % 10, sum: n }))
      .keyBy((record) => record.key)
      .reduce((a, b) => ({ key: a.key, sum: a.sum + b.sum }))
      .uid('sums')
      .sinkTo(new CollectSink<KeyedSum>('sums'));
    const result = await cluster.executeJob(env.getJobGraph('keyed sums'));
    expect(result.getApplicationStatus()).toBe('SUCCEEDED');
    const sums = result.getJobExecutionResult().getAccumulatorResult<KeyedSum[]>('sums') ?? [];
    expect(sums).toHaveLength(5000);
    // The last running sum of each key is the sum of its numbers.
    const finals = new Map<number, number>();
    for (const { key, sum } of sums) finals.set(key, Math.max(finals.get(key) ?? 0, sum));
    const expected = new Map<number, number>();
    for (let n = 2; n <= 10_000; n += 2) expected.set(n % 10, (expected.get(n % 10) ?? 0) + n);
    expect(finals).toEqual(expected);
  });

  it('checkpoints while it runs and commits a part file per checkpoint, each line once', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'eddy-streaming-job-'));
    try {
      const env = StreamExecutionEnvironment.create({ parallelism: 2 });
      env.enableCheckpointing(20);
      env
        .fromGenerator({ generate: (i) => i, count: 2000, recordsPerSecond: 8000 })
        .uid('generator')
        .sinkTo(new FileSink<number>(directory))
        .uid('files');
      const result = await cluster.executeJob(env.getJobGraph('files'));
      expect(result.getApplicationStatus()).toBe('SUCCEEDED');
      const files = await readdir(directory);
      expect(files.every((name) => name.startsWith('part-'))).toBe(true);
      expect(files.length).toBeGreaterThan(2);
      const lines: number[] = [];
      for (const name of files) {
        for (const line of (await readFile(path.join(directory, name), 'utf8')).split('\n')) {
          if (line !== '') lines.push(Number(line));
        }
      }
      expect(lines.sort((a, b) => a - b)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('restores keyed state, source position and sink after a failure: every record counts once', async () => {
    const count = 3000;
    let generated = 0;
    let failed = false;
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    env.enableCheckpointing(20);
    env
      .fromGenerator({
        generate: (i) => {
          generated++;
          return i;
        },
        count,
        recordsPerSecond: 6000,
      })
      .uid('generator')
      .map((n): KeyedSum => {
        if (n === count / 2 && !failed) {
          failed = true;
          throw new Error('Injected failure');
        }
        return { key: n % 7, sum: n };
      })
      .uid('fail-once')
      .keyBy((record) => record.key)
      .reduce((a, b) => ({ key: a.key, sum: a.sum + b.sum }))
      .uid('sums')
      .sinkTo(new CollectSink<KeyedSum>('sums'))
      .uid('collect');
    const jobGraph = env.getJobGraph('failover');
    jobGraph.setJobConfiguration(
      new Configuration({
        'restart-strategy.type': 'fixed-delay',
        'restart-strategy.fixed-delay.attempts': 3,
        'restart-strategy.fixed-delay.delay': '10 ms',
      }),
    );
    const result = await cluster.executeJob(jobGraph);
    expect(result.getApplicationStatus()).toBe('SUCCEEDED');
    expect(failed).toBe(true);
    // Restarting from scratch would generate count / 2 + count records; a restore skips what was checkpointed.
    expect(generated).toBeLessThan(count / 2 + count);
    const sums = result.getJobExecutionResult().getAccumulatorResult<KeyedSum[]>('sums') ?? [];
    expect(sums).toHaveLength(count);
    const finals = new Map<number, number>();
    for (const { key, sum } of sums) finals.set(key, Math.max(finals.get(key) ?? 0, sum));
    const expected = new Map<number, number>();
    for (let n = 0; n < count; n++) expected.set(n % 7, (expected.get(n % 7) ?? 0) + n);
    expect(finals).toEqual(expected);
  });
});
