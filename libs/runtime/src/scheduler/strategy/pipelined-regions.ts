import type { JobVertexID } from '../../core/ids.js';
import type { DefaultExecutionGraph } from '../../executiongraph/default-execution-graph.js';
import type { ExecutionJobVertex } from '../../executiongraph/execution-job-vertex.js';
import type { ExecutionVertex } from '../../executiongraph/execution-vertex.js';
import type { ConsumedPartitionGroup } from '../../executiongraph/intermediate-result.js';
import { isBlockingResult, isPipelinedResult } from '../../jobgraph/enums.js';

/**
 * A set of subtasks joined by pipelined exchanges, scheduled and restarted together (Flink's
 * SchedulingPipelinedRegion). Its BLOCKING inputs come from other regions and must be finished
 * before it is deployed.
 */
export class SchedulingPipelinedRegion {
  constructor(
    readonly index: number,
    readonly vertices: readonly ExecutionVertex[],
    readonly blockingConsumedPartitionGroups: readonly ConsumedPartitionGroup[],
  ) {}

  /** True when every BLOCKING input is fully produced. */
  areAllBlockingInputsFinished(): boolean {
    return this.blockingConsumedPartitionGroups.every((group) => group.areAllPartitionsFinished());
  }
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(size: number) {
    this.parent = new Int32Array(size);
    for (let i = 0; i < size; i++) this.parent[i] = i;
  }
  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root] ?? root;
    let node = x;
    while (node !== root) {
      const next = this.parent[node] ?? root;
      this.parent[node] = root;
      node = next;
    }
    return root;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * The pipelined regions of an execution graph, computed in O(vertices + partitions):
 * 1. logical regions: job vertices joined by pipelined job edges;
 * 2. logical regions that depend on each other in a cycle through BLOCKING edges, or that hold a
 *    BLOCKING edge inside, are collapsed (all their subtasks form one region), as Flink merges
 *    regions on cycles so that scheduling never waits on itself;
 * 3. otherwise subtasks are joined along pipelined edges: ALL_TO_ALL joins both sides whole,
 *    POINTWISE joins each consumer with the producers of its partitions.
 */
export class PipelinedRegionTopology {
  private readonly regions: SchedulingPipelinedRegion[] = [];
  private readonly regionOfVertex = new Map<JobVertexID, Int32Array>();

  constructor(private readonly graph: DefaultExecutionGraph) {
    const jobVertices = graph.getVerticesTopologically();
    const offsets = new Map<ExecutionJobVertex, number>();
    let total = 0;
    for (const ejv of jobVertices) {
      offsets.set(ejv, total);
      total += ejv.getParallelism();
    }
    const offsetOf = (ejv: ExecutionJobVertex) => offsets.get(ejv) ?? 0;

    const collapsed = collapsedLogicalRegions(jobVertices);
    const uf = new UnionFind(total);
    for (const [, members] of collapsed) {
      const first = members[0];
      if (first === undefined) continue;
      for (const ejv of members) {
        for (let i = 0; i < ejv.getParallelism(); i++) uf.union(offsetOf(first), offsetOf(ejv) + i);
      }
    }
    for (const consumer of jobVertices) {
      const edges = consumer.getJobVertex().getInputs();
      consumer.getInputs().forEach((result, inputIndex) => {
        if (!isPipelinedResult(result.getResultType())) return;
        const producer = result.getProducer();
        const pattern = edges[inputIndex]?.getDistributionPattern() ?? 'ALL_TO_ALL';
        if (pattern === 'ALL_TO_ALL') {
          const anchor = offsetOf(producer);
          for (let i = 0; i < producer.getParallelism(); i++) uf.union(anchor, offsetOf(producer) + i);
          for (let i = 0; i < consumer.getParallelism(); i++) uf.union(anchor, offsetOf(consumer) + i);
        } else {
          for (const vertex of consumer.getTaskVertices()) {
            const group = vertex.getConsumedPartitionGroups()[inputIndex];
            for (const partitionNumber of group?.partitionNumbers ?? []) {
              uf.union(
                offsetOf(consumer) + vertex.getParallelSubtaskIndex(),
                offsetOf(producer) + partitionNumber,
              );
            }
          }
        }
      });
    }

    const regionIndexOfRoot = new Map<number, number>();
    const members: ExecutionVertex[][] = [];
    for (const ejv of jobVertices) {
      const indices = new Int32Array(ejv.getParallelism());
      for (const vertex of ejv.getTaskVertices()) {
        const root = uf.find(offsetOf(ejv) + vertex.getParallelSubtaskIndex());
        let regionIndex = regionIndexOfRoot.get(root);
        if (regionIndex === undefined) {
          regionIndex = members.length;
          regionIndexOfRoot.set(root, regionIndex);
          members.push([]);
        }
        members[regionIndex]?.push(vertex);
        indices[vertex.getParallelSubtaskIndex()] = regionIndex;
      }
      this.regionOfVertex.set(ejv.getJobVertexId(), indices);
    }
    members.forEach((vertices, index) => {
      // Only inputs produced by other regions gate scheduling; a region merged on a blocking
      // cycle produces some of its own blocking inputs and would otherwise wait on itself. A group
      // is produced wholly inside or wholly outside a region (whole logical regions are collapsed),
      // so its first partition's producer (subtask n produces partition n) tells which.
      const blocking = new Set<ConsumedPartitionGroup>();
      for (const vertex of vertices) {
        for (const group of vertex.getConsumedPartitionGroups()) {
          if (!isBlockingResult(group.resultType) || blocking.has(group)) continue;
          const producer = graph.getIntermediateResult(group.dataSetId)?.getProducer();
          const producerRegion =
            producer === undefined
              ? undefined
              : this.regionOfVertex.get(producer.getJobVertexId())?.[group.partitionNumbers[0] ?? 0];
          if (producerRegion !== index) blocking.add(group);
        }
      }
      this.regions.push(new SchedulingPipelinedRegion(index, vertices, [...blocking]));
    });
  }

  getAllRegions(): readonly SchedulingPipelinedRegion[] {
    return this.regions;
  }

  getRegionOfVertex(vertex: ExecutionVertex): SchedulingPipelinedRegion {
    const index = this.regionOfVertex.get(vertex.getJobVertex().getJobVertexId())?.[
      vertex.getParallelSubtaskIndex()
    ];
    const region = index === undefined ? undefined : this.regions[index];
    if (region === undefined) throw new RangeError(`${vertex.toString()} is not part of this topology.`);
    return region;
  }

  getGraph(): DefaultExecutionGraph {
    return this.graph;
  }
}

/** Logical regions to collapse: members of blocking cycles or with blocking edges inside. */
function collapsedLogicalRegions(
  jobVertices: readonly ExecutionJobVertex[],
): Map<number, ExecutionJobVertex[]> {
  const index = new Map<ExecutionJobVertex, number>(jobVertices.map((ejv, i) => [ejv, i]));
  const uf = new UnionFind(jobVertices.length);
  const idx = (ejv: ExecutionJobVertex) => index.get(ejv) ?? 0;
  for (const consumer of jobVertices) {
    for (const result of consumer.getInputs()) {
      if (isPipelinedResult(result.getResultType())) uf.union(idx(result.getProducer()), idx(consumer));
    }
  }
  // Logical region graph over blocking edges; a self-loop means a blocking edge inside a region.
  const successors = new Map<number, Set<number>>();
  const selfLoop = new Set<number>();
  for (const consumer of jobVertices) {
    for (const result of consumer.getInputs()) {
      if (!isBlockingResult(result.getResultType())) continue;
      const from = uf.find(idx(result.getProducer()));
      const to = uf.find(idx(consumer));
      if (from === to) selfLoop.add(from);
      else successors.set(from, (successors.get(from) ?? new Set()).add(to));
    }
  }
  const roots = [...new Set(jobVertices.map((ejv) => uf.find(idx(ejv))))];
  const merged = new UnionFind(jobVertices.length);
  const cyclicRoots = new Set<number>();
  for (const component of stronglyConnectedComponents(roots, successors)) {
    const first = component[0];
    if (first === undefined || component.length < 2) continue;
    for (const root of component) {
      merged.union(first, root);
      cyclicRoots.add(root);
    }
  }
  const result = new Map<number, ExecutionJobVertex[]>();
  for (const ejv of jobVertices) {
    const logical = uf.find(idx(ejv));
    if (!cyclicRoots.has(logical) && !selfLoop.has(logical)) continue;
    const key = merged.find(logical);
    result.set(key, [...(result.get(key) ?? []), ejv]);
  }
  return result;
}

/** Tarjan's algorithm, iterative. */
function stronglyConnectedComponents(
  nodes: readonly number[],
  successors: Map<number, Set<number>>,
): number[][] {
  const indexOf = new Map<number, number>();
  const lowLink = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;
  for (const start of nodes) {
    if (indexOf.has(start)) continue;
    const work: { node: number; next: number[] }[] = [];
    const visit = (node: number) => {
      indexOf.set(node, counter);
      lowLink.set(node, counter++);
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: [...(successors.get(node) ?? [])] });
    };
    visit(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame === undefined) break;
      const successor = frame.next.pop();
      if (successor !== undefined) {
        if (!indexOf.has(successor)) visit(successor);
        else if (onStack.has(successor)) {
          lowLink.set(frame.node, Math.min(lowLink.get(frame.node) ?? 0, indexOf.get(successor) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) {
        lowLink.set(parent.node, Math.min(lowLink.get(parent.node) ?? 0, lowLink.get(frame.node) ?? 0));
      }
      if (lowLink.get(frame.node) === indexOf.get(frame.node)) {
        const component: number[] = [];
        for (;;) {
          const member = stack.pop();
          if (member === undefined) break;
          onStack.delete(member);
          component.push(member);
          if (member === frame.node) break;
        }
        components.push(component);
      }
    }
  }
  return components;
}
