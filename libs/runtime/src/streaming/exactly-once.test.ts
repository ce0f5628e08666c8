import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { Configuration } from '../core/configuration.js';
import { MiniCluster } from '../minicluster/mini-cluster.js';
import { MiniClusterConfiguration } from '../minicluster/mini-cluster-configuration.js';
import { StateDescriptors } from '../state/state-api.js';
import { StreamExecutionEnvironment } from './job-builder.js';
import { FileSink } from './sinks/file-sink.js';

interface SequencedEvent {
  readonly key: number;
  /** The event's number within its key: 0, 1, 2, … */
  readonly seq: number;
  readonly index: number;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing run can be repeated. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let cluster: MiniCluster | undefined;
let directory: string | undefined;
afterEach(async () => {
  await cluster?.closeAsync();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

describe('exactly-once on a MiniCluster', () => {
  it('survives failures at random points: no gap or repeat in any key, every record in the files once', async () => {
    const records = 12_000;
    const keys = 40;
    const next = random(20261125);
    const failAt = new Set<number>();
    while (failAt.size < 3) failAt.add(1000 + Math.floor(next() * (records - 2000)));
    const failed = new Set<number>();

    directory = await mkdtemp(path.join(tmpdir(), 'eddy-exactly-once-'));
    const output = path.join(directory, 'out');
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    env.enableCheckpointing(30);
    env
      .fromGenerator({
        generate: (index): SequencedEvent => ({ key: index % keys, seq: Math.floor(index / keys), index }),
        count: records,
        recordsPerSecond: 15_000,
      })
      .uid('events')
      .setParallelism(1)
      .map((event) => {
        if (failAt.has(event.index) && !failed.has(event.index)) {
          failed.add(event.index);
          throw new Error(`Injected failure at record ${event.index}`);
        }
        return event;
      })
      .uid('chaos')
      .setParallelism(1)
      .keyBy((event) => event.key)
      .process<string>((event, context, out) => {
        // The checker: each key's sequence numbers must arrive as 0, 1, 2, … exactly once.
        const last = context.state.getValueState(StateDescriptors.value<number>('last-seq', -1));
        const expected = (last.value() ?? -1) + 1;
        if (event.seq !== expected)
          out.collect(`ALERT key ${event.key}: expected ${expected}, got ${event.seq}`);
        last.update(event.seq);
        out.collect(`${event.key},${event.seq}`);
      })
      .uid('checker')
      .sinkTo(new FileSink<string>(output))
      .uid('files');
    const jobGraph = env.getJobGraph('exactly-once');
    jobGraph.setJobConfiguration(
      new Configuration({
        'restart-strategy.type': 'fixed-delay',
        'restart-strategy.fixed-delay.attempts': 10,
        'restart-strategy.fixed-delay.delay': '10 ms',
        'execution.checkpointing.dir': path.join(directory, 'checkpoints'),
      }),
    );

    cluster = new MiniCluster(
      MiniClusterConfiguration.newBuilder().setNumTaskManagers(2).setNumSlotsPerTaskManager(2).build(),
    );
    await cluster.start();
    const result = await cluster.executeJob(jobGraph);
    expect(result.getApplicationStatus()).toBe('SUCCEEDED');
    expect(failed).toEqual(failAt);

    const lines: string[] = [];
    for (const name of await readdir(output)) {
      expect(name).toMatch(/^part-\d+-\d+$/);
      lines.push(
        ...(await readFile(path.join(output, name), 'utf8')).split('\n').filter((line) => line !== ''),
      );
    }
    expect(lines.filter((line) => line.startsWith('ALERT'))).toEqual([]);
    expect(lines).toHaveLength(records);
    expect(new Set(lines).size).toBe(records);
    const perKey = new Map<number, number>();
    for (const line of lines)
      perKey.set(Number(line.split(',')[0]), (perKey.get(Number(line.split(',')[0])) ?? 0) + 1);
    expect([...perKey.values()].every((count) => count === records / keys)).toBe(true);

    const archived = await cluster.getExecutionGraph(jobGraph.getJobID());
    expect(
      archived
        .getExceptionHistory()
        .map((entry) => entry.exception.message)
        .sort(),
    ).toEqual([...failAt].map((index) => `Injected failure at record ${index}`).sort());
    const stats = archived.getCheckpointStatsSnapshot();
    expect(stats?.counts.completed).toBeGreaterThan(0);
    expect(stats?.counts.restored).toBeGreaterThan(0);
  }, 60_000);
});
