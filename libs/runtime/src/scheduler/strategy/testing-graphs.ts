import { DefaultExecutionGraph } from '../../executiongraph/default-execution-graph.js';
import type { ExecutionVertex } from '../../executiongraph/execution-vertex.js';
import type { DistributionPattern, ResultPartitionType } from '../../jobgraph/enums.js';
import { JobGraph } from '../../jobgraph/job-graph.js';
import { JobVertex } from '../../jobgraph/job-vertex.js';

/** An edge of a test topology: `from → to` with a pattern and a result type. */
export type TestEdge = readonly [
  from: string,
  to: string,
  pattern: DistributionPattern,
  type: ResultPartitionType,
];

/** A built test topology whose subtasks are named `a0`, `a1`, … after their vertex and index. */
export interface TestTopology {
  readonly graph: DefaultExecutionGraph;
  vertex(name: string): ExecutionVertex;
  names(vertices: Iterable<ExecutionVertex>): string[];
}

/**
 * Builds an execution graph from vertex parallelisms (`{ a: 2, b: 3 }`) and edges, for region and
 * failover tests. Names must be one letter; `names` sorts what it prints.
 */
export function testTopology(
  parallelisms: Readonly<Record<string, number>>,
  edges: readonly TestEdge[],
): TestTopology {
  const vertices = new Map<string, JobVertex>();
  const jobGraph = new JobGraph('test');
  for (const [name, parallelism] of Object.entries(parallelisms)) {
    const vertex = new JobVertex(name);
    vertex.setParallelism(parallelism);
    vertex.setInvokableClassName('eddy.forward');
    vertices.set(name, vertex);
  }
  for (const [from, to, pattern, type] of edges) {
    const producer = vertices.get(from);
    const consumer = vertices.get(to);
    if (producer === undefined || consumer === undefined)
      throw new Error(`unknown vertex in ${from} → ${to}`);
    consumer.connectNewDataSetAsInput(producer, pattern, type);
  }
  for (const vertex of vertices.values()) jobGraph.addVertex(vertex);
  const graph = DefaultExecutionGraph.build(jobGraph);
  const nameOf = (v: ExecutionVertex) => `${v.getTaskName()}${v.getParallelSubtaskIndex()}`;
  return {
    graph,
    vertex(name) {
      const jobVertex = vertices.get(name.slice(0, 1));
      const found = jobVertex === undefined ? undefined : graph.getJobVertex(jobVertex.getID());
      if (found === undefined) throw new Error(`unknown vertex ${name}`);
      return found.getTaskVertex(Number(name.slice(1)));
    },
    names(list) {
      return [...list].map(nameOf).sort();
    },
  };
}
