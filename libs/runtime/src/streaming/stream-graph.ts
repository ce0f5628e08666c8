import { OperatorID } from '../core/ids.js';
import type { Environment } from '../execution/environment.js';
import type { InvokableClass } from '../execution/invokable.js';
import {
  CheckpointCoordinatorConfiguration,
  JobCheckpointingSettings,
} from '../jobgraph/checkpointing-settings.js';
import type { CheckpointRetentionPolicy } from '../jobgraph/checkpointing-settings.js';
import { DistributionPattern, JobType, ResultPartitionType } from '../jobgraph/enums.js';
import { JobGraph } from '../jobgraph/job-graph.js';
import { JobVertex } from '../jobgraph/job-vertex.js';
import type { PartitionerSpec } from '../jobgraph/partitioner-spec.js';
import { KeyGroupRangeAssignment } from '../state/key-group-range-assignment.js';
import { InvalidStreamGraphError } from './errors.js';
import { SourceStreamTask } from './source-stream-task.js';
import type { ChainOutputConfig, CheckpointingMode, StreamChainConfig } from './stream-config.js';
import type { KeySelector, StreamOperatorFactory } from './stream-operator.js';
import { StreamTask } from './stream-task.js';

/** How records cross an edge of the stream graph. */
export type StreamPartitioning = 'forward' | 'rebalance' | 'hash';

/** An operator of the stream graph (Flink's StreamNode). */
export interface StreamNode {
  readonly id: number;
  readonly kind: 'source' | 'operator' | 'sink';
  /** Short kind name used for default uids and names (`map`, `filter`, …). */
  readonly operatorName: string;
  name: string;
  uid: string | undefined;
  parallelism: number | undefined;
  /** The head after a keyBy: reads `[key, record]` pairs and has keyed state. */
  readonly keyed: boolean;
  readonly factory: StreamOperatorFactory<unknown, unknown>;
  readonly inputs: StreamEdge[];
  readonly outputs: StreamEdge[];
}

/** A connection between two operators (Flink's StreamEdge). */
export interface StreamEdge {
  readonly source: StreamNode;
  readonly target: StreamNode;
  readonly partitioning: StreamPartitioning;
  /** For `hash` edges. */
  readonly keySelector?: KeySelector<unknown, unknown>;
}

/** Checkpointing of a streaming job, with Flink's defaults. */
export interface CheckpointingOptions {
  /** Default EXACTLY_ONCE. */
  readonly mode?: CheckpointingMode;
  /** A checkpoint not complete after this long is expired. Default 600000 (10 min). */
  readonly timeoutMs?: number;
  /** Minimum gap between the end of one checkpoint and the next trigger. Default 0. */
  readonly minPauseMs?: number;
  /** Default 1. */
  readonly maxConcurrentCheckpoints?: number;
  /** Failed checkpoints tolerated before the job fails. Default 0. */
  readonly tolerableFailedCheckpoints?: number;
  /** Default NEVER_RETAIN_AFTER_TERMINATION. */
  readonly retention?: CheckpointRetentionPolicy;
}

/** Job-wide settings the compiler applies. */
export interface StreamGraphSettings {
  readonly defaultParallelism: number;
  /** Max parallelism of every vertex; undefined derives it from each vertex's parallelism. */
  readonly maxParallelism: number | undefined;
  readonly checkpointing: { readonly intervalMs: number; readonly options: CheckpointingOptions } | undefined;
}

let generatedTaskClasses = 0;

/**
 * A StreamTask class bound to one chain (generated per job vertex). Its static `invokableName` is
 * unique in the process, so the job's user code (LibraryCacheManager) resolves it unambiguously.
 */
export function streamTaskClass(
  name: string,
  config: StreamChainConfig,
  source: boolean,
): InvokableClass & { readonly invokableName: string } {
  const base: typeof StreamTask = source ? SourceStreamTask : StreamTask;
  return class GeneratedStreamTask extends base {
    static readonly invokableName = name;
    constructor(environment: Environment) {
      super(environment, config);
    }
  };
}

/** The uid of a node: the user's, or `<kind>-<id>` (deterministic as long as the program builds the same graph). */
export function uidOf(node: StreamNode): string {
  return node.uid ?? `${node.operatorName}-${node.id}`;
}

/**
 * Compiles a stream graph into a JobGraph (Flink's StreamingJobGraphGenerator). An edge is chained
 * (its operators share a task and call each other directly) when it is a forward edge between
 * operators of equal parallelism, its source has no other output and its target no other input.
 * Other edges become job edges: a forward edge between different parallelisms becomes rebalance
 * (ALL_TO_ALL); keyBy edges are hash edges on field 0 of the `[key, record]` pairs the upstream
 * tail emits. Each vertex runs a generated StreamTask (SourceStreamTask for sources), carries the
 * OperatorIDs of its chain (from the uids, head first), and gets the job's max parallelism.
 */
export function compileStreamGraph(
  nodes: readonly StreamNode[],
  settings: StreamGraphSettings,
  jobName: string,
): JobGraph {
  const jobGraph = new JobGraph(jobName);
  jobGraph.setJobType(JobType.STREAMING);
  checkUids(nodes);
  const parallelismOf = (node: StreamNode): number => node.parallelism ?? settings.defaultParallelism;
  const partitioningOf = (edge: StreamEdge): StreamPartitioning =>
    edge.partitioning === 'forward' && parallelismOf(edge.source) !== parallelismOf(edge.target)
      ? 'rebalance'
      : edge.partitioning;
  const isChained = (edge: StreamEdge): boolean =>
    partitioningOf(edge) === 'forward' && edge.source.outputs.length === 1 && edge.target.inputs.length === 1;

  // Nodes are created after their inputs, so creation order is topological.
  const chains: StreamNode[][] = [];
  const chainOf = new Map<StreamNode, StreamNode[]>();
  for (const node of nodes) {
    const input = node.inputs[0];
    const upstream = input !== undefined && isChained(input) ? chainOf.get(input.source) : undefined;
    const chain = upstream ?? [];
    if (upstream === undefined) chains.push(chain);
    chain.push(node);
    chainOf.set(node, chain);
  }

  const mode = settings.checkpointing?.options.mode ?? 'EXACTLY_ONCE';
  const vertexOf = new Map<StreamNode[], JobVertex>();
  for (const chain of chains) {
    const head = chain[0] as StreamNode;
    const tail = chain[chain.length - 1] as StreamNode;
    const vertex = new JobVertex(chain.map((node) => node.name).join(' -> '));
    const parallelism = parallelismOf(head);
    vertex.setParallelism(parallelism);
    vertex.setMaxParallelism(
      settings.maxParallelism ?? KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism),
    );
    vertex.setOperatorIDs(
      chain.map((node) => ({ operatorId: OperatorID.fromUid(uidOf(node)), uid: uidOf(node) })),
    );
    const outputs: ChainOutputConfig[] = tail.outputs.map((edge) =>
      edge.partitioning === 'hash' && edge.keySelector !== undefined ? { keySelector: edge.keySelector } : {},
    );
    const config: StreamChainConfig = {
      operators: chain.map((node) => ({ uid: uidOf(node), name: node.name, factory: node.factory })),
      keyedInput: head.keyed,
      outputs,
      checkpointingMode: mode,
    };
    const name = `eddy.streaming.${vertex.getID()}.${++generatedTaskClasses}`;
    vertex.setInvokableClass(streamTaskClass(name, config, head.kind === 'source'));
    vertexOf.set(chain, vertex);
    jobGraph.addVertex(vertex);
  }

  // Outputs in tail order: writer i of a task is its vertex's i-th produced data set.
  for (const chain of chains) {
    const tail = chain[chain.length - 1] as StreamNode;
    const producer = vertexOf.get(chain) as JobVertex;
    for (const edge of tail.outputs) {
      const consumer = vertexOf.get(chainOf.get(edge.target) as StreamNode[]) as JobVertex;
      const partitioning = partitioningOf(edge);
      const spec: PartitionerSpec =
        partitioning === 'hash' ? { type: 'hash', keyField: 0 } : { type: partitioning };
      consumer.connectNewDataSetAsInput(
        producer,
        partitioning === 'forward' ? DistributionPattern.POINTWISE : DistributionPattern.ALL_TO_ALL,
        ResultPartitionType.PIPELINED_BOUNDED,
        spec,
      );
    }
  }

  if (settings.checkpointing !== undefined) {
    const { intervalMs, options } = settings.checkpointing;
    const all = jobGraph.getVerticesAsArray().map((vertex) => vertex.getID());
    const sources = chains
      .filter((chain) => chain[0]?.kind === 'source')
      .map((chain) => (vertexOf.get(chain) as JobVertex).getID());
    const builder = CheckpointCoordinatorConfiguration.builder()
      .setCheckpointInterval(intervalMs)
      .setExactlyOnce(mode === 'EXACTLY_ONCE');
    if (options.timeoutMs !== undefined) builder.setCheckpointTimeout(options.timeoutMs);
    if (options.minPauseMs !== undefined) builder.setMinPauseBetweenCheckpoints(options.minPauseMs);
    if (options.maxConcurrentCheckpoints !== undefined)
      builder.setMaxConcurrentCheckpoints(options.maxConcurrentCheckpoints);
    if (options.tolerableFailedCheckpoints !== undefined) {
      builder.setTolerableCheckpointFailureNumber(options.tolerableFailedCheckpoints);
    }
    if (options.retention !== undefined) builder.setCheckpointRetentionPolicy(options.retention);
    jobGraph.setSnapshotSettings(new JobCheckpointingSettings(sources, all, all, builder.build()));
  }
  return jobGraph;
}

function checkUids(nodes: readonly StreamNode[]): void {
  const seen = new Set<string>();
  for (const node of nodes) {
    const uid = uidOf(node);
    if (seen.has(uid))
      throw new InvalidStreamGraphError('the uid is used by another operator of the job.', uid);
    seen.add(uid);
  }
}
