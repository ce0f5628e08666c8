/**
 * What periodic checkpoints cost a keyed streaming job: records per second through
 * `fromSequence(1, N) → map(n % KEYS) → keyBy → reduce (sum) → DiscardSink` at parallelism 2 on a
 * MiniCluster with 1 TaskExecutor and 4 slots, once with `enableCheckpointing(1000)` and a file
 * checkpoint directory (in os.tmpdir(), removed afterwards) and once without checkpointing.
 *
 * Same-run baseline: the same job without checkpointing. The two variants alternate (the order
 * flips every round, so that a slow phase of a noisy machine hits both), each after a warm-up run;
 * the figures are the medians of the measured runs. Each run must succeed with N records into the
 * reducer; each checkpointed run must complete at least one checkpoint, otherwise its figure would
 * say nothing about checkpoints and the check fails.
 *
 * The time of a job is its wall-clock time from submission to its result on a started cluster, so
 * it includes deployment (a few ms).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import {
  Configuration,
  DiscardSink,
  MiniCluster,
  MiniClusterConfiguration,
  StreamExecutionEnvironment,
} from '@eddy/runtime';
import type { JobGraph } from '@eddy/runtime';

import type { BenchResult } from './harness.js';
import { formatMs, formatRate, formatRatio, fullGc, median } from './harness.js';

/** Records per measured job: about 2–3 s without checkpoints at ~5M records/s. */
const RECORDS = 12_000_000;
/**
 * Records of the warm-up job of each variant (lets the JIT compile the data path first); it may end
 * before its first checkpoint, so only its success and record count are checked.
 */
const WARMUP_RECORDS = 2_000_000;
/** Distinct keys: record n has key `n % KEYS`. */
const KEYS = 10_000;
const PARALLELISM = 2;
const SLOTS = 4;
const CHECKPOINT_INTERVAL_MS = 1000;
/** Measured runs per variant (median reported). */
const MEASURED_RUNS = 3;
/** Throughput with checkpoints / throughput without. */
const TARGET_RATIO = 0.9;

function buildJobGraph(records: number, checkpointing: boolean): JobGraph {
  const env = StreamExecutionEnvironment.create({ parallelism: PARALLELISM });
  if (checkpointing) env.enableCheckpointing(CHECKPOINT_INTERVAL_MS);
  env
    .fromSequence(1, records)
    .uid('numbers')
    .map((n): [key: number, value: number] => [n % KEYS, n])
    .uid('to-key')
    .keyBy((record) => record[0])
    .reduce((a, b) => [a[0], a[1] + b[1]])
    .uid('sums')
    .sinkTo(new DiscardSink())
    .uid('discard');
  return env.getJobGraph(`checkpoint-overhead-bench ${checkpointing ? 'with' : 'without'} checkpoints`);
}

interface RunOutcome {
  readonly ms: number;
  /** Checkpoints completed; 0 for a run without checkpointing. */
  readonly completedCheckpoints: number;
  /**
   * Checkpoints failed. Not a failed check: a checkpoint triggered as the tasks finish can fail
   * (TRIGGER_CHECKPOINT_FAILURE, as in Flink), which a bounded job may hit at its end.
   */
  readonly failedCheckpoints: number;
  /** Median end-to-end duration of the completed checkpoints, in ms (0 when none). */
  readonly checkpointMs: number;
  /** Median state size of the completed checkpoints, in bytes (0 when none). */
  readonly checkpointBytes: number;
  /** Empty when the run is sound, else what was wrong. */
  readonly problems: readonly string[];
}

async function runJob(
  cluster: MiniCluster,
  records: number,
  checkpointing: boolean,
  warmUp = false,
): Promise<RunOutcome> {
  const jobGraph = buildJobGraph(records, checkpointing);
  fullGc();
  const start = performance.now();
  const result = await cluster.executeJob(jobGraph);
  const ms = performance.now() - start;
  const variant = checkpointing ? 'with checkpoints' : 'without checkpoints';
  if (!result.isSuccess()) {
    const failure = result.getSerializedThrowable()?.message;
    return {
      ms,
      completedCheckpoints: 0,
      failedCheckpoints: 0,
      checkpointMs: 0,
      checkpointBytes: 0,
      problems: [`job ${variant} ${result.getApplicationStatus()}: ${failure}`],
    };
  }
  const problems: string[] = [];
  const graph = await cluster.getExecutionGraph(jobGraph.getJobID());
  // The reducer's vertex is the one with an input (source and map are chained into the other).
  const reducer = graph.getAllVertices().find((vertex) => vertex.inputs.length > 0);
  const recordsIn = (reducer?.subtasks ?? []).reduce(
    (sum, subtask) => sum + (subtask.currentExecution.ioMetrics?.numRecordsIn ?? 0),
    0,
  );
  if (recordsIn !== records)
    problems.push(`${variant}: ${recordsIn} records into the reducer, expected ${records}`);
  const stats = graph.getCheckpointStatsSnapshot();
  const completedCheckpoints = stats?.counts.completed ?? 0;
  if (checkpointing && !warmUp && completedCheckpoints < 1) {
    problems.push('a run with checkpoints completed no checkpoint');
  }
  return {
    ms,
    completedCheckpoints,
    failedCheckpoints: stats?.counts.failed ?? 0,
    checkpointMs: stats?.summary.endToEndDuration.p50 ?? 0,
    checkpointBytes: stats?.summary.stateSize.p50 ?? 0,
    problems,
  };
}

async function withCheckpointDirectory<T>(body: (directory: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(path.join(tmpdir(), 'eddy-checkpoint-overhead-'));
  try {
    return await body(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

export async function runCheckpointOverheadBench(
  log: (line: string) => void = () => undefined,
): Promise<BenchResult[]> {
  return withCheckpointDirectory(async (directory) => {
    const configuration = new Configuration({ 'execution.checkpointing.dir': directory });
    const cluster = new MiniCluster(
      MiniClusterConfiguration.newBuilder()
        .setNumTaskManagers(1)
        .setNumSlotsPerTaskManager(SLOTS)
        .setConfiguration(configuration)
        .build(),
    );
    await cluster.start();
    try {
      const problems: string[] = [];
      problems.push(...(await runJob(cluster, WARMUP_RECORDS, false, true)).problems);
      problems.push(...(await runJob(cluster, WARMUP_RECORDS, true, true)).problems);
      const withoutTimes: number[] = [];
      const withTimes: number[] = [];
      const checkpointCounts: number[] = [];
      const rate = (ms: number): string => formatRate((RECORDS / ms) * 1000);
      for (let run = 0; run < MEASURED_RUNS; run++) {
        // Alternating, the order flipped every round: without first in even rounds, with first in odd ones.
        const first = await runJob(cluster, RECORDS, run % 2 === 1);
        const second = await runJob(cluster, RECORDS, run % 2 === 0);
        const [without, withCheckpoints] = run % 2 === 0 ? [first, second] : [second, first];
        problems.push(...without.problems, ...withCheckpoints.problems);
        withoutTimes.push(without.ms);
        withTimes.push(withCheckpoints.ms);
        checkpointCounts.push(withCheckpoints.completedCheckpoints);
        log(
          `keyed job run ${run + 1}: without checkpoints ${formatMs(without.ms)} (${rate(without.ms)}), ` +
            `with checkpoints ${formatMs(withCheckpoints.ms)} (${rate(withCheckpoints.ms)}, ` +
            `${withCheckpoints.completedCheckpoints} completed, ${withCheckpoints.failedCheckpoints} failed; ` +
            `p50 ${formatMs(withCheckpoints.checkpointMs)} and ` +
            `${(withCheckpoints.checkpointBytes / 1024).toFixed(0)} KB each)`,
        );
      }
      const withoutRate = (RECORDS / median(withoutTimes)) * 1000;
      const withRate = (RECORDS / median(withTimes)) * 1000;
      const ratio = withRate / withoutRate;
      const uniqueProblems = [...new Set(problems)];
      return [
        {
          name:
            `keyed job p=${PARALLELISM}, ${RECORDS / 1e6}M records, checkpoint every ${CHECKPOINT_INTERVAL_MS} ms ` +
            `(${checkpointCounts.join('/')} completed)`,
          figure: formatRate(withRate),
          baseline: `${formatRate(withoutRate)} (no checkpoints, same run)`,
          ratio: formatRatio(ratio),
          target: `≥ ${formatRatio(TARGET_RATIO)} (${TARGET_RATIO * 100} %)`,
          targetMet: ratio >= TARGET_RATIO,
          check: uniqueProblems.length === 0 ? 'ok' : uniqueProblems.join('; '),
        },
      ];
    } finally {
      await cluster.closeAsync();
    }
  });
}
