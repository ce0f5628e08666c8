/**
 * Execution graph construction at scale: a JobGraph `source → sink`, ALL_TO_ALL and PIPELINED, at
 * p × p subtasks, turned into a DefaultExecutionGraph and its PipelinedRegionTopology — what a
 * JobMaster does before it can schedule anything. Flink 1.14 made this O(n + m) with
 * ConsumedPartitionGroups; Eddy has the same design and must stay linear in memory and time.
 *
 * Figures: time (median of 5 runs after 1 warm-up) and retained heap growth (full GC before and
 * after, with the graph alive). Same-run baseline: allocating one plain object per subtask and per
 * partition with the arrays that link them — the floor any representation of the graph pays.
 */
import {
  DefaultExecutionGraph,
  DistributionPattern,
  JobGraph,
  JobVertex,
  PipelinedRegionTopology,
  ResultPartitionType,
} from '@eddy/runtime';

import type { BenchResult } from './harness.js';
import { formatMb, formatMs, formatRatio, fullGc, median, retainedHeapBytes } from './harness.js';

const WARMUP_RUNS = 1;
const MEASURED_RUNS = 5;

/** Published by Flink for 1.14 (blog "How We Improved Scheduler Performance for Large-scale Jobs"); not measured here. */
const FLINK_1_14_PUBLISHED_MS_10K = 627;
const TARGET_MS_10K = 300;
const TARGET_MB_10K = 50;

function buildJobGraph(parallelism: number): JobGraph {
  const jobGraph = new JobGraph(`execution-graph-bench ${parallelism}x${parallelism}`);
  const source = new JobVertex('Source');
  source.setParallelism(parallelism);
  source.setInvokableClassName('bench.source');
  const sink = new JobVertex('Sink');
  sink.setParallelism(parallelism);
  sink.setInvokableClassName('bench.sink');
  sink.connectNewDataSetAsInput(source, DistributionPattern.ALL_TO_ALL, ResultPartitionType.PIPELINED);
  jobGraph.addVertex(source);
  jobGraph.addVertex(sink);
  return jobGraph;
}

interface BuiltGraph {
  readonly graph: DefaultExecutionGraph;
  readonly topology: PipelinedRegionTopology;
}

function buildExecutionGraph(jobGraph: JobGraph): BuiltGraph {
  const graph = DefaultExecutionGraph.build(jobGraph);
  return { graph, topology: new PipelinedRegionTopology(graph) };
}

/** The baseline's shape: what a minimal graph of subtasks and partitions allocates. */
interface PlainSubtask {
  readonly index: number;
  readonly produced: PlainPartition[];
  readonly consumed: (readonly number[])[];
}
interface PlainPartition {
  readonly number: number;
  readonly consumers: readonly number[];
  readonly consumedGroups: (readonly number[])[];
}

function range(length: number): number[] {
  const values = new Array<number>(length);
  for (let i = 0; i < length; i++) values[i] = i;
  return values;
}

/**
 * One plain object per subtask and per partition, the per-object arrays that link them, and the two
 * shared index arrays of an ALL_TO_ALL edge (as ConsumedPartitionGroup / ConsumerVertexGroup).
 */
function allocatePlainGraph(parallelism: number): PlainSubtask[] {
  const consumedGroup = range(parallelism);
  const consumerGroup = range(parallelism);
  const subtasks: PlainSubtask[] = [];
  for (let i = 0; i < parallelism; i++) {
    const partition: PlainPartition = {
      number: i,
      consumers: consumerGroup,
      consumedGroups: [consumedGroup],
    };
    subtasks.push({ index: i, produced: [partition], consumed: [] });
  }
  for (let i = 0; i < parallelism; i++) subtasks.push({ index: i, produced: [], consumed: [consumedGroup] });
  return subtasks;
}

interface Measurement {
  /** Median time of the measured runs. */
  readonly ms: number;
  /** Every measured run's time, in run order. */
  readonly runsMs: readonly number[];
  /** Median retained heap growth. */
  readonly bytes: number;
}

/** Runs `build` 1 + 5 times, each from a collected heap; returns the medians of the measured runs. */
function measure<T>(prepare: () => void, build: () => T, check: (built: T) => void): Measurement {
  const times: number[] = [];
  const heaps: number[] = [];
  for (let run = 0; run < WARMUP_RUNS + MEASURED_RUNS; run++) {
    prepare();
    const before = retainedHeapBytes();
    const start = performance.now();
    let built: T | undefined = build();
    const ms = performance.now() - start;
    const after = retainedHeapBytes();
    check(built);
    built = undefined;
    if (run >= WARMUP_RUNS) {
      times.push(ms);
      heaps.push(after - before);
    }
  }
  fullGc();
  return { ms: median(times), runsMs: times, bytes: median(heaps) };
}

function label(parallelism: number): string {
  return parallelism % 1000 === 0
    ? `${parallelism / 1000}k×${parallelism / 1000}k`
    : `${parallelism}×${parallelism}`;
}

/** Measures Eddy and the baseline at one scale. */
function benchScale(parallelism: number): { eddy: Measurement; plain: Measurement; check: string } {
  let jobGraph: JobGraph | undefined;
  const problems: string[] = [];
  const eddy = measure(
    () => {
      jobGraph = undefined;
      fullGc();
      jobGraph = buildJobGraph(parallelism);
    },
    () => {
      if (jobGraph === undefined) throw new Error('The job graph was not prepared.');
      return buildExecutionGraph(jobGraph);
    },
    ({ graph, topology }) => {
      // One ALL_TO_ALL pipelined edge joins everything into one region of 2p subtasks.
      const regions = topology.getAllRegions();
      if (graph.getTotalNumberOfVertices() !== 2 * parallelism)
        problems.push(`${graph.getTotalNumberOfVertices()} vertices, expected ${2 * parallelism}`);
      if (regions.length !== 1 || regions[0]?.vertices.length !== 2 * parallelism)
        problems.push(`${regions.length} regions, expected 1 of ${2 * parallelism} subtasks`);
    },
  );
  jobGraph = undefined;
  const plain = measure(
    () => undefined,
    () => allocatePlainGraph(parallelism),
    (subtasks) => {
      if (subtasks.length !== 2 * parallelism) problems.push(`baseline has ${subtasks.length} subtasks`);
    },
  );
  return { eddy, plain, check: problems.length === 0 ? 'ok' : [...new Set(problems)].join('; ') };
}

export function runExecutionGraphBench(log: (line: string) => void = () => undefined): BenchResult[] {
  const results: BenchResult[] = [];
  for (const parallelism of [4_000, 10_000]) {
    const { eddy, plain, check } = benchScale(parallelism);
    const name = `execution graph ${label(parallelism)}`;
    const is10k = parallelism === 10_000;
    const runs = (measurement: Measurement): string =>
      measurement.runsMs.map((ms) => ms.toFixed(1)).join(', ');
    log(
      `${name}: build + regions ${formatMs(eddy.ms)} (runs: ${runs(eddy)} ms), heap ${formatMb(eddy.bytes)}`,
    );
    log(
      `${name}: plain objects ${formatMs(plain.ms)} (runs: ${runs(plain)} ms), heap ${formatMb(plain.bytes)}`,
    );
    results.push({
      name: `${name}: time`,
      figure: formatMs(eddy.ms),
      baseline: `${formatMs(plain.ms)} (plain objects, same run)`,
      ratio: formatRatio(eddy.ms / plain.ms),
      target: is10k ? `≤ ${TARGET_MS_10K} ms` : '-',
      targetMet: is10k ? eddy.ms <= TARGET_MS_10K : undefined,
      check,
    });
    if (is10k) {
      results.push({
        name: `${name}: time vs Flink 1.14`,
        figure: formatMs(eddy.ms),
        baseline: `${FLINK_1_14_PUBLISHED_MS_10K} ms (Flink 1.14 published, constant)`,
        ratio: formatRatio(eddy.ms / FLINK_1_14_PUBLISHED_MS_10K),
        target: `≤ ${TARGET_MS_10K} ms`,
        targetMet: eddy.ms <= TARGET_MS_10K,
        check,
      });
    }
    results.push({
      name: `${name}: retained heap`,
      figure: formatMb(eddy.bytes),
      baseline: `${formatMb(plain.bytes)} (plain objects, same run)`,
      ratio: formatRatio(eddy.bytes / plain.bytes),
      target: is10k ? `≤ ${TARGET_MB_10K} MB` : '-',
      targetMet: is10k ? eddy.bytes <= TARGET_MB_10K * 1024 * 1024 : undefined,
      check,
    });
  }
  return results;
}
