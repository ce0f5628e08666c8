/**
 * Records per second through a hash exchange on a MiniCluster (1 TaskExecutor, 2 slots): a source
 * emits N `[key, 1]` tuples over KEYS distinct keys, the edge is ALL_TO_ALL PIPELINED with the
 * `hash` partitioner on field 0, and a sink sums the values per key into a Map. The sinks report
 * the records they read, the sum of their sums and their distinct keys as accumulators; the figure
 * is printed only next to those checks (records = sum = N, keys = KEYS: with a correct hash
 * partitioner no key reaches two sinks).
 *
 * Same-run baseline: a hand-written loop doing the same work without tasks or channels — create the
 * same tuples, compute each one's key group and target subtask (the engine's
 * KeyGroupRangeAssignment), and sum per key in one Map per target subtask. The log also shows that
 * loop with the tuples collected in per-subtask arrays of the writer's batch size before they are
 * summed, which splits the gap into the cost of materialised records and the cost of the tasks and
 * channels.
 *
 * The time of a job is its wall-clock time from submission to its result on a started cluster, so
 * it includes deployment (a few ms; the log prints an empty job's time for scale).
 */
import {
  AbstractInvokable,
  ConfigOptions,
  DEFAULT_NETWORK_CONFIG,
  DistributionPattern,
  JobGraph,
  JobVertex,
  KeyGroupRangeAssignment,
  LongCounter,
  MiniCluster,
  MiniClusterConfiguration,
  RecordReader,
  ResultPartitionType,
} from '@eddy/runtime';
import type { ConfigOption } from '@eddy/runtime';

import type { BenchResult } from './harness.js';
import { formatMs, formatRate, formatRatio, fullGc, median } from './harness.js';

/** Records per measured job. */
const RECORDS = 10_000_000;
/** Records of the warm-up job of each variant (lets the JIT compile the data path first). */
const WARMUP_RECORDS = 1_000_000;
/** Distinct keys: record i has key `i % KEYS`. */
const KEYS = 10_000;
/** Measured runs per variant (median reported): bounded so that the whole suite stays under 2 minutes. */
const MEASURED_RUNS = 3;
const TARGET_RECORDS_PER_SECOND = 5_000_000;
/** Records per buffer of the engine's writer (`taskmanager.network.batch-size`), for the batched loop. */
const BATCH_SIZE = DEFAULT_NETWORK_CONFIG.batchSize;

type KeyedRecord = [key: number, value: number];

const RECORDS_OPTION: ConfigOption<number | undefined> = ConfigOptions.key('bench.records')
  .intType()
  .noDefaultValue()
  .withDescription('Records all source subtasks together emit.');

function requiredRecords(invokable: AbstractInvokable): number {
  const records = invokable.getTaskConfiguration().get(RECORDS_OPTION);
  if (records === undefined) throw new Error(`The task configuration lacks '${RECORDS_OPTION.key}'.`);
  return records;
}

/** Emits its contiguous slice of records 0..N-1 as `[i % KEYS, 1]`, awaiting only when the writer is full. */
class HashBenchSource extends AbstractInvokable {
  static readonly invokableName = 'bench.hash-exchange.source';

  async invoke(): Promise<void> {
    const total = requiredRecords(this);
    const parallelism = this.getCurrentNumberOfSubtasks();
    const index = this.getIndexInSubtaskGroup();
    const start = Math.floor((total * index) / parallelism);
    const end = Math.floor((total * (index + 1)) / parallelism);
    const writer = this.getEnvironment().getWriter<KeyedRecord>(0);
    for (let i = start; i < end; i++) {
      writer.emit([i % KEYS, 1]);
      if (!writer.isAvailable()) {
        await writer.getAvailableFuture();
        if (this.isCanceled()) return;
      }
    }
  }
}

/** Sums the values per key; reports records read, the sum of all sums and its distinct keys. */
class HashBenchSink extends AbstractInvokable {
  static readonly invokableName = 'bench.hash-exchange.sink';

  async invoke(): Promise<void> {
    const environment = this.getEnvironment();
    const reader = new RecordReader<KeyedRecord>(environment.getInputGate(0), environment.getIOMetrics());
    const sums = new Map<number, number>();
    let records = 0;
    for (let batch = await reader.nextBatch(); batch !== undefined; batch = await reader.nextBatch()) {
      for (let i = 0; i < batch.length; i++) {
        const record = batch[i]!;
        const key = record[0];
        sums.set(key, (sums.get(key) ?? 0) + record[1]);
      }
      records += batch.length;
    }
    if (this.isCanceled()) return;
    let sum = 0;
    for (const value of sums.values()) sum += value;
    const accumulators = environment.getAccumulatorRegistry();
    accumulators.addAccumulator('records', new LongCounter(records));
    accumulators.addAccumulator('sum', new LongCounter(sum));
    accumulators.addAccumulator('keys', new LongCounter(sums.size));
  }
}

function buildJobGraph(records: number, parallelism: number): JobGraph {
  const jobGraph = new JobGraph(`hash-exchange-bench ${parallelism}->${parallelism}`);
  const source = new JobVertex('Source');
  source.setParallelism(parallelism);
  source.setInvokableClass(HashBenchSource);
  source.getConfiguration().set(RECORDS_OPTION, records);
  const sink = new JobVertex('SumByKey');
  sink.setParallelism(parallelism);
  sink.setInvokableClass(HashBenchSink);
  sink.connectNewDataSetAsInput(source, DistributionPattern.ALL_TO_ALL, ResultPartitionType.PIPELINED, {
    type: 'hash',
    keyField: 0,
  });
  jobGraph.addVertex(source);
  jobGraph.addVertex(sink);
  return jobGraph;
}

interface RunOutcome {
  readonly ms: number;
  /** Empty when the run's counts are right, else what was wrong. */
  readonly problems: readonly string[];
}

function checkCounts(
  expectedRecords: number,
  expectedKeys: number,
  counts: { records: unknown; sum: unknown; keys: unknown },
): string[] {
  const problems: string[] = [];
  if (counts.records !== expectedRecords)
    problems.push(`read ${String(counts.records)} records, expected ${expectedRecords}`);
  if (counts.sum !== expectedRecords)
    problems.push(`sums add up to ${String(counts.sum)}, expected ${expectedRecords}`);
  if (counts.keys !== expectedKeys)
    problems.push(`${String(counts.keys)} keys over all sinks, expected ${expectedKeys}`);
  return problems;
}

async function runJob(cluster: MiniCluster, records: number, parallelism: number): Promise<RunOutcome> {
  const jobGraph = buildJobGraph(records, parallelism);
  fullGc();
  const start = performance.now();
  const result = await cluster.executeJob(jobGraph);
  const ms = performance.now() - start;
  if (!result.isSuccess()) {
    return {
      ms,
      problems: [`job ${result.getApplicationStatus()}: ${result.getSerializedThrowable()?.message}`],
    };
  }
  const accumulators = result.getAccumulatorResults();
  return {
    ms,
    problems: checkCounts(records, Math.min(records, KEYS), {
      records: accumulators.records,
      sum: accumulators.sum,
      keys: accumulators.keys,
    }),
  };
}

function summarise(
  records: number,
  sumsPerSubtask: readonly Map<number, number>[],
  start: number,
): RunOutcome {
  let sum = 0;
  let keys = 0;
  for (const sums of sumsPerSubtask) {
    for (const value of sums.values()) sum += value;
    keys += sums.size;
  }
  const ms = performance.now() - start;
  return { ms, problems: checkCounts(records, Math.min(records, KEYS), { records, sum, keys }) };
}

function newSums(parallelism: number): Map<number, number>[] {
  const sumsPerSubtask: Map<number, number>[] = [];
  for (let i = 0; i < parallelism; i++) sumsPerSubtask.push(new Map());
  return sumsPerSubtask;
}

/**
 * The baseline: the job's work in one loop — create each tuple, compute its key group and target
 * subtask, sum per key in that subtask's Map. V8 may keep the tuples from being allocated at all
 * (escape analysis), as fused code would.
 */
function handWrittenLoop(records: number, parallelism: number): RunOutcome {
  fullGc();
  const start = performance.now();
  const maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism);
  const sumsPerSubtask = newSums(parallelism);
  for (let i = 0; i < records; i++) {
    const record: KeyedRecord = [i % KEYS, 1];
    const key = record[0];
    const keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism);
    const subtask = KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(
      maxParallelism,
      parallelism,
      keyGroup,
    );
    const sums = sumsPerSubtask[subtask]!;
    sums.set(key, (sums.get(key) ?? 0) + record[1]);
  }
  return summarise(records, sumsPerSubtask, start);
}

/** Sums a batch of tuples per key into `sums`. */
function sumBatch(batch: readonly KeyedRecord[], sums: Map<number, number>): void {
  for (let i = 0; i < batch.length; i++) {
    const record = batch[i]!;
    const key = record[0];
    sums.set(key, (sums.get(key) ?? 0) + record[1]);
  }
}

/**
 * For the log only, to split the gap: the same loop, but the tuples really exist — collected per
 * target subtask in arrays of the writer's batch size (512) that are summed when full, as the
 * engine's buffers are, with no queue, task or await in between.
 */
function handWrittenLoopWithBatches(records: number, parallelism: number): RunOutcome {
  fullGc();
  const start = performance.now();
  const maxParallelism = KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism);
  const sumsPerSubtask = newSums(parallelism);
  const batches: KeyedRecord[][] = [];
  for (let i = 0; i < parallelism; i++) batches.push([]);
  for (let i = 0; i < records; i++) {
    const record: KeyedRecord = [i % KEYS, 1];
    const keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(record[0], maxParallelism);
    const subtask = KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(
      maxParallelism,
      parallelism,
      keyGroup,
    );
    const batch = batches[subtask]!;
    batch.push(record);
    if (batch.length === BATCH_SIZE) {
      sumBatch(batch, sumsPerSubtask[subtask]!);
      batches[subtask] = [];
    }
  }
  for (let i = 0; i < parallelism; i++) sumBatch(batches[i]!, sumsPerSubtask[i]!);
  return summarise(records, sumsPerSubtask, start);
}

interface VariantFigures {
  readonly eddyMs: number;
  readonly loopMs: number;
  readonly problems: readonly string[];
}

async function benchVariant(
  cluster: MiniCluster,
  parallelism: number,
  log: (line: string) => void,
): Promise<VariantFigures> {
  const problems: string[] = [];
  problems.push(...(await runJob(cluster, WARMUP_RECORDS, parallelism)).problems);
  problems.push(...handWrittenLoop(WARMUP_RECORDS, parallelism).problems);
  problems.push(...handWrittenLoopWithBatches(WARMUP_RECORDS, parallelism).problems);
  const eddyTimes: number[] = [];
  const loopTimes: number[] = [];
  const batchedTimes: number[] = [];
  const rate = (ms: number): string => formatRate((RECORDS / ms) * 1000);
  // Interleaved, so that a slow phase of a noisy machine hits every side.
  for (let run = 0; run < MEASURED_RUNS; run++) {
    const job = await runJob(cluster, RECORDS, parallelism);
    const loop = handWrittenLoop(RECORDS, parallelism);
    const batched = handWrittenLoopWithBatches(RECORDS, parallelism);
    problems.push(...job.problems, ...loop.problems, ...batched.problems);
    eddyTimes.push(job.ms);
    loopTimes.push(loop.ms);
    batchedTimes.push(batched.ms);
    log(
      `hash exchange ${parallelism}→${parallelism} run ${run + 1}: job ${formatMs(job.ms)} (${rate(job.ms)}), ` +
        `loop ${formatMs(loop.ms)} (${rate(loop.ms)}), loop with batches ${formatMs(batched.ms)} (${rate(batched.ms)})`,
    );
  }
  return { eddyMs: median(eddyTimes), loopMs: median(loopTimes), problems: [...new Set(problems)] };
}

export async function runHashExchangeBench(
  log: (line: string) => void = () => undefined,
): Promise<BenchResult[]> {
  const cluster = new MiniCluster(
    MiniClusterConfiguration.newBuilder().setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build(),
  );
  await cluster.start();
  try {
    const empty = await runJob(cluster, 0, 1);
    log(`hash exchange: an empty job takes ${formatMs(empty.ms)} (submission to result, for scale)`);
    const results: BenchResult[] = [];
    for (const parallelism of [1, 2]) {
      const figures = await benchVariant(cluster, parallelism, log);
      const eddyRate = (RECORDS / figures.eddyMs) * 1000;
      const loopRate = (RECORDS / figures.loopMs) * 1000;
      results.push({
        name: `hash exchange ${parallelism}→${parallelism}, ${RECORDS / 1e6}M records`,
        figure: formatRate(eddyRate),
        baseline: `${formatRate(loopRate)} (hand-written loop, same run)`,
        ratio: formatRatio(eddyRate / loopRate),
        target: `≥ ${formatRate(TARGET_RECORDS_PER_SECOND)}`,
        targetMet: eddyRate >= TARGET_RECORDS_PER_SECOND,
        check: figures.problems.length === 0 ? 'ok' : figures.problems.join('; '),
      });
    }
    return results;
  } finally {
    await cluster.closeAsync();
  }
}
