import { IllegalArgumentError } from '../core/errors.js';
import type { JobGraph } from '../jobgraph/job-graph.js';
import { UPPER_BOUND_MAX_PARALLELISM } from '../state/key-group-range-assignment.js';
import {
  FilterOperator,
  FlatMapOperator,
  KeyedProcessOperator,
  KeyedReduceOperator,
  MapOperator,
} from './operators.js';
import type {
  FilterFunction,
  FlatMapFunction,
  KeyedProcessFunction,
  MapFunction,
  ReduceFunction,
  Sink,
} from './operators.js';
import { GeneratorSource } from './sources/generator-source.js';
import type { GeneratorSourceOptions } from './sources/generator-source.js';
import { SequenceSource } from './sources/sequence-source.js';
import { SourceOperator } from './sources/source-reader.js';
import type { Source } from './sources/source-reader.js';
import { TextFileSource } from './sources/text-file-source.js';
import { compileStreamGraph } from './stream-graph.js';
import type { CheckpointingOptions, StreamEdge, StreamNode, StreamPartitioning } from './stream-graph.js';
import type { KeySelector, StreamOperator, StreamOperatorFactory } from './stream-operator.js';

/** Options of a {@link StreamExecutionEnvironment}. */
export interface StreamExecutionEnvironmentOptions {
  /** Parallelism of operators that set none. Default 1. */
  readonly parallelism?: number;
  /**
   * Max parallelism (number of key groups) of every vertex; keep it fixed to rescale keyed state
   * from savepoints. Default: derived per vertex from its parallelism (Flink's rule, at least 128).
   */
  readonly maxParallelism?: number;
}

function checkParallelism(what: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > UPPER_BOUND_MAX_PARALLELISM) {
    throw new IllegalArgumentError(
      `${what} must be a whole number in [1, ${UPPER_BOUND_MAX_PARALLELISM}], got ${value}.`,
    );
  }
}

/**
 * Builds a streaming job (Flink's StreamExecutionEnvironment) and compiles it into a JobGraph of
 * chained StreamTasks:
 *
 * ```ts
 * const env = StreamExecutionEnvironment.create({ parallelism: 2 });
 * env.enableCheckpointing(1000);
 * env.fromSequence(1, 1000).uid('numbers')
 *   .keyBy((n) => n % 10).reduce((a, b) => a + b).uid('sums')
 *   .sinkTo(new CollectSink());
 * const jobGraph = env.getJobGraph('sums');
 * ```
 *
 * The tasks are bound to the job's functions by closures: a compiled job runs in the process that
 * built it (MiniCluster, local TaskExecutors).
 */
export class StreamExecutionEnvironment {
  private readonly nodes: StreamNode[] = [];
  private readonly defaultParallelism: number;
  private readonly maxParallelism: number | undefined;
  private checkpointing: { intervalMs: number; options: CheckpointingOptions } | undefined;

  private constructor(options: StreamExecutionEnvironmentOptions) {
    this.defaultParallelism = options.parallelism ?? 1;
    checkParallelism('The parallelism', this.defaultParallelism);
    this.maxParallelism = options.maxParallelism;
    if (this.maxParallelism !== undefined) {
      checkParallelism('The max parallelism', this.maxParallelism);
      if (this.maxParallelism < this.defaultParallelism) {
        throw new IllegalArgumentError(
          `The max parallelism ${this.maxParallelism} is below the parallelism ${this.defaultParallelism}.`,
        );
      }
    }
  }

  static create(options: StreamExecutionEnvironmentOptions = {}): StreamExecutionEnvironment {
    return new StreamExecutionEnvironment(options);
  }

  /** Checkpoints every `intervalMs` (at least 10); see {@link CheckpointingOptions} for the defaults. */
  enableCheckpointing(intervalMs: number, options: CheckpointingOptions = {}): this {
    if (!(intervalMs >= 10))
      throw new IllegalArgumentError(`The checkpoint interval must be >= 10 ms, got ${intervalMs}.`);
    this.checkpointing = { intervalMs, options };
    return this;
  }

  fromSource<T>(source: Source<T>): DataStream<T> {
    const node = this.addNode(
      'source',
      'source',
      source.name,
      false,
      () => new SourceOperator(source.createReader()),
    );
    return new DataStream<T>(this, node);
  }

  /** The numbers `from` … `to`, each once over all subtasks. */
  fromSequence(from: number, to: number): DataStream<number> {
    return this.fromSource(new SequenceSource(from, to));
  }

  /** Deterministic generated records, optionally bounded and rate limited. */
  fromGenerator<T>(options: GeneratorSourceOptions<T>): DataStream<T> {
    return this.fromSource(new GeneratorSource(options));
  }

  /** The lines of text files. */
  readTextFile(paths: string | readonly string[]): DataStream<string> {
    return this.fromSource(new TextFileSource(paths));
  }

  /** Compiles everything defined so far into a JobGraph (a new one, with new IDs, on every call). */
  getJobGraph(jobName = 'Streaming Job'): JobGraph {
    return compileStreamGraph(
      this.nodes,
      {
        defaultParallelism: this.defaultParallelism,
        maxParallelism: this.maxParallelism,
        checkpointing: this.checkpointing,
      },
      jobName,
    );
  }

  /** @internal */
  addNode(
    kind: StreamNode['kind'],
    operatorName: string,
    name: string,
    keyed: boolean,
    factory: StreamOperatorFactory<unknown, unknown>,
  ): StreamNode {
    const node: StreamNode = {
      id: this.nodes.length + 1,
      kind,
      operatorName,
      name,
      uid: undefined,
      parallelism: undefined,
      keyed,
      factory,
      inputs: [],
      outputs: [],
    };
    this.nodes.push(node);
    return node;
  }

  /** @internal */
  connect(
    source: StreamNode,
    target: StreamNode,
    partitioning: StreamPartitioning,
    keySelector?: KeySelector<unknown, unknown>,
  ): void {
    const edge: StreamEdge = {
      source,
      target,
      partitioning,
      ...(keySelector !== undefined ? { keySelector } : {}),
    };
    source.outputs.push(edge);
    target.inputs.push(edge);
  }
}

/** Settings every operator of the builder has: uid, name, parallelism. */
export abstract class OperatorHandle {
  constructor(
    protected readonly env: StreamExecutionEnvironment,
    protected readonly node: StreamNode,
  ) {}

  /** The operator's stable id: its state in checkpoints and savepoints is found by it. */
  uid(uid: string): this {
    if (uid.length === 0) throw new IllegalArgumentError('A uid must not be empty.');
    this.node.uid = uid;
    return this;
  }

  name(name: string): this {
    this.node.name = name;
    return this;
  }

  setParallelism(parallelism: number): this {
    checkParallelism(`The parallelism of '${this.node.name}'`, parallelism);
    this.node.parallelism = parallelism;
    return this;
  }
}

/** A stream of records of type T (Flink's DataStream). */
export class DataStream<T> extends OperatorHandle {
  constructor(
    env: StreamExecutionEnvironment,
    node: StreamNode,
    private readonly partitioning: 'forward' | 'rebalance' = 'forward',
  ) {
    super(env, node);
  }

  map<OUT>(fn: MapFunction<T, OUT>): DataStream<OUT> {
    return this.then('map', 'Map', () => new MapOperator(fn));
  }

  filter(fn: FilterFunction<T>): DataStream<T> {
    return this.then('filter', 'Filter', () => new FilterOperator(fn));
  }

  flatMap<OUT>(fn: FlatMapFunction<T, OUT>): DataStream<OUT> {
    return this.then('flat-map', 'Flat Map', () => new FlatMapOperator(fn));
  }

  /**
   * Applies a custom operator (Flink's `transform`): `factory` creates one StreamOperator per
   * subtask, which may use operator state (list, union list, broadcast) through its context.
   */
  transform<OUT>(name: string, factory: () => StreamOperator<T, OUT>): DataStream<OUT> {
    return this.then('transform', name, factory);
  }

  /** The next operator reads round robin from all subtasks of this one (never chained). */
  rebalance(): DataStream<T> {
    return new DataStream<T>(this.env, this.node, 'rebalance');
  }

  /** Partitions by key: the next operator is keyed and has keyed state. */
  keyBy<K>(keySelector: KeySelector<T, K>): KeyedStream<T, K> {
    return new KeyedStream<T, K>(this.env, this.node, keySelector);
  }

  sinkTo(sink: Sink<T>): DataStreamSink {
    const node = this.env.addNode('sink', 'sink', sink.name, false, () => sink.createOperator());
    this.env.connect(this.node, node, this.partitioning);
    return new DataStreamSink(this.env, node);
  }

  private then<OUT>(
    operatorName: string,
    name: string,
    factory: StreamOperatorFactory<T, OUT>,
  ): DataStream<OUT> {
    const node = this.env.addNode('operator', operatorName, name, false, factory);
    this.env.connect(this.node, node, this.partitioning);
    return new DataStream<OUT>(this.env, node);
  }
}

/**
 * A stream partitioned by key (Flink's KeyedStream): the next operator gets every record of a key
 * in one subtask, with that key set on its keyed state.
 */
export class KeyedStream<T, K> {
  constructor(
    private readonly env: StreamExecutionEnvironment,
    private readonly node: StreamNode,
    private readonly keySelector: KeySelector<T, K>,
  ) {}

  process<OUT>(fn: KeyedProcessFunction<K, T, OUT>): DataStream<OUT> {
    return this.then('keyed-process', 'Keyed Process', () => new KeyedProcessOperator<K, T, OUT>(fn));
  }

  /** Folds the records of each key, emitting the running result after each record. */
  reduce(fn: ReduceFunction<T>): DataStream<T> {
    return this.then('reduce', 'Keyed Reduce', () => new KeyedReduceOperator<T>(fn));
  }

  private then<OUT>(
    operatorName: string,
    name: string,
    factory: StreamOperatorFactory<T, OUT>,
  ): DataStream<OUT> {
    const node = this.env.addNode('operator', operatorName, name, true, factory);
    this.env.connect(this.node, node, 'hash', this.keySelector as KeySelector<unknown, unknown>);
    return new DataStream<OUT>(this.env, node);
  }
}

/** The end of a stream (Flink's DataStreamSink): uid, name and parallelism of the sink. */
export class DataStreamSink extends OperatorHandle {}
