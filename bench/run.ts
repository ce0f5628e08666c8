/**
 * Eddy's benchmarks (`npm run bench`: builds, then runs this with `node --expose-gc`). Every figure
 * is printed next to a baseline measured in the same run, and their ratio (figure / baseline), so
 * that the comparison holds on a noisy or slow machine; a baseline that is a published constant is
 * labelled as such. Nothing here asserts timings: the table says whether each target is met, and
 * the process exits 0 whatever the figures are (it exits 1 only if a benchmark throws).
 *
 * 1. execution-graph.bench.ts — JobGraph `source → sink`, ALL_TO_ALL PIPELINED, at 4k×4k and
 *    10k×10k subtasks: `DefaultExecutionGraph.build` + `new PipelinedRegionTopology(graph)`. Time is
 *    the median of 5 runs after 1 warm-up; heap is the retained growth (full GC before and after,
 *    graph alive). Baselines: allocating one plain object per subtask and per partition with the
 *    arrays that link them (same run); Flink 1.14's published 627 ms for 10k×10k (constant).
 *    Targets at 10k×10k: ≤ 300 ms, ≤ 50 MB.
 * 2. hash-exchange.bench.ts — records per second through `source → (hash on field 0) → sum per key`
 *    on a MiniCluster with 1 TaskExecutor and 2 slots, 10M `[key, 1]` tuples over 10k keys, at
 *    parallelism 1→1 and 2→2; median of 3 runs after a warm-up. The sinks' totals are checked
 *    (records = sum = N, distinct keys = 10k). Baseline: a hand-written loop doing the same work
 *    (same tuples, key group and target subtask per record, sum per key in a Map) without tasks
 *    or channels. Target: ≥ 5M records/s.
 * 3. state.bench.ts — heap keyed value state with 500,000 keys: gets/s and updates/s next to a plain
 *    Map doing the same in the same run and Flink's heap backend figures (2.5 M gets/s, 4.6 M
 *    updates/s); snapshot and restore of 1,000,000 keys in MB/s next to the disk's own write speed
 *    (write + fsync of the same bytes, same run).
 * 4. checkpoint-overhead.bench.ts — records per second through a keyed streaming job
 *    (`fromSequence` of 12M numbers → key n % 10k → keyBy → reduce (sum) → DiscardSink) at
 *    parallelism 2 on a MiniCluster with 1 TaskExecutor and 4 slots, with checkpoints every 1000 ms
 *    to a file checkpoint directory; median of 3 runs after a warm-up. Baseline: the same job
 *    without checkpointing, alternating with it in the same run. Each run must succeed with every
 *    record into the reducer, and each checkpointed run must complete at least one checkpoint (the
 *    counts are in the row's name). Target: ≥ 90 % of the baseline.
 * 5. rest.bench.ts — the Dispatcher's REST service in-process (its build, PGlite in a temp folder,
 *    127.0.0.1, ephemeral port): `GET /jobs/overview` with 1,000 stored trivial jobs under
 *    autocannon (10 connections, 5 s) → req/s and p99, next to a bare Node `http` server answering
 *    the same body loaded the same way; targets ≥ 2,000 req/s, p99 ≤ 50 ms. Submission → FINISHED
 *    of a trivial job over REST (POST, then status every 2 ms), median of 50 after 5 warm-ups, next
 *    to the same job on the service's MiniCluster directly; target ≤ 150 ms.
 */
import { availableParallelism } from 'node:os';

import { runCheckpointOverheadBench } from './checkpoint-overhead.bench.js';
import { runExecutionGraphBench } from './execution-graph.bench.js';
import type { BenchResult } from './harness.js';
import { formatTable } from './harness.js';
import { runHashExchangeBench } from './hash-exchange.bench.js';
import { runRestBenchmarks } from './rest.bench.js';
import { runStateBenchmarks } from './state.bench.js';

function log(line: string): void {
  console.log(`  ${line}`);
}

function targetCell(result: BenchResult): string {
  if (result.targetMet === undefined) return '-';
  return result.targetMet ? 'yes' : 'NO';
}

async function main(): Promise<void> {
  const started = performance.now();
  console.log(
    `Eddy benchmarks — Node ${process.version}, ${process.platform}/${process.arch}, ` +
      `${availableParallelism()} cores\n`,
  );
  const results: BenchResult[] = [];

  console.log('execution graph (build + pipelined regions):');
  results.push(...runExecutionGraphBench(log));
  console.log('\nhash exchange on a MiniCluster:');
  results.push(...(await runHashExchangeBench(log)));
  console.log('\nkeyed state (heap backend):');
  for (const row of await runStateBenchmarks(log)) {
    results.push({
      name: row.name,
      figure: row.figure,
      baseline: row.baseline,
      ratio: row.ratio,
      target: row.target,
      targetMet: row.met ?? undefined,
      check: 'ok',
    });
  }
  console.log('\ncheckpoint overhead (keyed job):');
  results.push(...(await runCheckpointOverheadBench(log)));
  console.log('\nREST service (Dispatcher, in-process):');
  results.push(...(await runRestBenchmarks(log)));

  console.log('\nratio = figure / baseline\n');
  console.log(
    formatTable(
      ['benchmark', 'figure', 'baseline', 'ratio', 'target', 'met', 'check'],
      results.map((result) => [
        result.name,
        result.figure,
        result.baseline,
        result.ratio,
        result.target,
        targetCell(result),
        result.check,
      ]),
    ),
  );
  const failedChecks = results.filter((result) => result.check !== 'ok').length;
  const missedTargets = results.filter((result) => result.targetMet === false).length;
  console.log(
    `\n${results.length} figures, ${missedTargets} target(s) missed, ${failedChecks} failed check(s); ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s in total.`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
