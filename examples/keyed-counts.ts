/**
 * Running counts per key, checkpointed: a rate-limited generator emits `{ key, count: 1 }` events
 * over a few keys, `keyBy(key).reduce(…)` keeps a running count per key in keyed state, and a
 * CollectSink gathers the counts exactly once. Checkpoints go every 500 ms to a temp directory; a
 * savepoint is triggered halfway through. The script prints the savepoint's path, the checkpoint
 * counts from the job's statistics and the final count of every key, then removes the directory.
 *
 *     node --import tsx examples/keyed-counts.ts [records] [records per second]
 *
 * `keyed-counts.test.ts` runs a small configuration of the same job through `runKeyedCounts`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import {
  CollectSink,
  Configuration,
  ExecutionState,
  MiniCluster,
  MiniClusterConfiguration,
  StreamExecutionEnvironment,
  isGloballyTerminalState,
} from '@eddy/runtime';
import type { CheckpointStatsCounts, JobGraph, JobID } from '@eddy/runtime';

export interface KeyedCountsOptions {
  /** Events over all subtasks. */
  readonly records: number;
  /** Distinct keys: event i has key `key-${i % keys}`. */
  readonly keys: number;
  /** The generator's rate limit, over all subtasks. */
  readonly recordsPerSecond: number;
  readonly parallelism: number;
  readonly checkpointIntervalMs: number;
}

export interface KeyCount {
  readonly key: string;
  readonly count: number;
}

/** The job: generator → keyBy → running count per key → collect (accumulator `counts`). */
export function buildKeyedCountsJob(options: KeyedCountsOptions): JobGraph {
  const env = StreamExecutionEnvironment.create({ parallelism: options.parallelism });
  env.enableCheckpointing(options.checkpointIntervalMs);
  env
    .fromGenerator<KeyCount>({
      generate: (i) => ({ key: `key-${i % options.keys}`, count: 1 }),
      count: options.records,
      recordsPerSecond: options.recordsPerSecond,
      name: 'Events',
    })
    .uid('events')
    .keyBy((event) => event.key)
    .reduce((a, b) => ({ key: a.key, count: a.count + b.count }))
    .uid('running-counts')
    .sinkTo(new CollectSink<KeyCount>('counts'))
    .uid('collect');
  return env.getJobGraph('keyed counts');
}

export interface KeyedCountsOutcome {
  readonly savepointPath: string;
  readonly checkpoints: CheckpointStatsCounts | undefined;
  /** Every running count the sink received (one per event). */
  readonly runningCounts: readonly KeyCount[];
  /** The last running count of each key, sorted by key. */
  readonly finalCounts: ReadonlyMap<string, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once every task of the job runs: a savepoint needs them all. */
async function allTasksRunning(cluster: MiniCluster, jobId: JobID): Promise<void> {
  for (;;) {
    const graph = await cluster.getExecutionGraph(jobId);
    const states = graph.getAllVertices().flatMap((v) => v.subtasks.map((s) => s.currentExecution.state));
    if (states.length > 0 && states.every((state) => state === ExecutionState.RUNNING)) return;
    if (isGloballyTerminalState(graph.getState())) return; // Ended early: its result tells why.
    await sleep(5);
  }
}

/** Runs the job on `cluster`, triggering a savepoint into `savepointDirectory` halfway through. */
export async function runKeyedCounts(
  cluster: MiniCluster,
  options: KeyedCountsOptions,
  savepointDirectory: string,
): Promise<KeyedCountsOutcome> {
  const jobId = (await cluster.submitJob(buildKeyedCountsJob(options))).getJobID();
  await allTasksRunning(cluster, jobId);
  await sleep(((options.records / options.recordsPerSecond) * 1000) / 2);
  const savepointPath = await cluster.triggerSavepoint(jobId, savepointDirectory);
  const result = await cluster.requestJobResult(jobId);
  if (!result.isSuccess()) {
    throw new Error(
      `The job ended ${result.getApplicationStatus()}: ${result.getSerializedThrowable()?.message}`,
    );
  }
  const runningCounts = result.getJobExecutionResult().getAccumulatorResult<KeyCount[]>('counts') ?? [];
  // Counts only grow, so a key's final count is its largest running count.
  const finals = new Map<string, number>();
  for (const { key, count } of runningCounts) finals.set(key, Math.max(finals.get(key) ?? 0, count));
  const graph = await cluster.getExecutionGraph(jobId);
  return {
    savepointPath,
    checkpoints: graph.getCheckpointStatsSnapshot()?.counts,
    runningCounts,
    finalCounts: new Map([...finals].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))),
  };
}

async function main(): Promise<void> {
  const options: KeyedCountsOptions = {
    records: Number(process.argv[2] ?? 20_000),
    keys: 8,
    recordsPerSecond: Number(process.argv[3] ?? 5_000),
    parallelism: 2,
    checkpointIntervalMs: 500,
  };
  const directory = await mkdtemp(path.join(tmpdir(), 'eddy-keyed-counts-'));
  const cluster = new MiniCluster(
    MiniClusterConfiguration.newBuilder()
      .setNumTaskManagers(1)
      .setNumSlotsPerTaskManager(4)
      .setConfiguration(
        new Configuration({ 'execution.checkpointing.dir': path.join(directory, 'checkpoints') }),
      )
      .build(),
  );
  await cluster.start();
  try {
    console.log(
      `Counting ${options.records} events over ${options.keys} keys at ${options.recordsPerSecond} events/s, ` +
        `checkpoints every ${options.checkpointIntervalMs} ms…`,
    );
    const outcome = await runKeyedCounts(cluster, options, path.join(directory, 'savepoints'));
    console.log(`Savepoint halfway: ${outcome.savepointPath}`);
    const counts = outcome.checkpoints;
    if (counts !== undefined) {
      console.log(
        `Checkpoints: ${counts.completed} completed (savepoint included), ${counts.failed} failed, ` +
          `${counts.total} triggered.`,
      );
    }
    console.log('Final counts:');
    for (const [key, count] of outcome.finalCounts) console.log(`  ${key.padEnd(8)} ${count}`);
  } finally {
    await cluster.closeAsync();
    await rm(directory, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
