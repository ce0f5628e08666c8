import { EddyError } from '../core/errors.js';
import { UPPER_BOUND_MAX_PARALLELISM } from '../state/key-group-range-assignment.js';
import { MAX_PARALLELISM_DEFAULT, PARALLELISM_DEFAULT } from './enums.js';
import type { JobGraph } from './job-graph.js';
import { partitionerFitsPattern } from './partitioner-spec.js';

/** A job graph that cannot run; `problems` lists every reason, each naming what is wrong. */
export class InvalidJobGraphError extends EddyError {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid job graph: ${problems.join(' ')}`);
  }
}

export interface JobGraphValidationOptions {
  /** Whether an invokable name can be resolved (registered built-in or job artifact). */
  readonly isKnownInvokable?: (name: string) => boolean;
  /** The parallelism a vertex with PARALLELISM_DEFAULT gets (`parallelism.default`). */
  readonly defaultParallelism?: number;
}

/**
 * Checks everything that would make a job graph fail to run, and returns the problems found
 * (empty when the graph is valid): no vertices, cycles, edges to vertices outside the graph,
 * parallelism below 1 or above the max parallelism, missing or unknown invokables, and
 * partitioners that do not fit their distribution pattern.
 */
export function validateJobGraph(jobGraph: JobGraph, options: JobGraphValidationOptions = {}): string[] {
  const problems: string[] = [];
  const vertices = jobGraph.getVerticesAsArray();
  if (vertices.length === 0) problems.push('The job graph has no vertices.');
  const defaultParallelism = options.defaultParallelism ?? 1;
  // The cycle check below cannot sort a graph with edges leaving it, so it runs only without them.
  let hasEdgeOutsideGraph = false;

  for (const vertex of vertices) {
    const name = `Vertex '${vertex.getName()}'`;
    const parallelism =
      vertex.getParallelism() === PARALLELISM_DEFAULT ? defaultParallelism : vertex.getParallelism();
    const maxParallelism = vertex.getMaxParallelism();
    if (parallelism < 1) problems.push(`${name} has parallelism ${parallelism}; it must be at least 1.`);
    if (parallelism > UPPER_BOUND_MAX_PARALLELISM) {
      problems.push(
        `${name} has parallelism ${parallelism}, above the upper bound ${UPPER_BOUND_MAX_PARALLELISM}.`,
      );
    }
    if (maxParallelism !== MAX_PARALLELISM_DEFAULT && parallelism > maxParallelism) {
      problems.push(`${name} has parallelism ${parallelism}, above its max parallelism ${maxParallelism}.`);
    }
    const invokable = vertex.getInvokableClassName();
    if (invokable === undefined) {
      problems.push(`${name} has no invokable.`);
    } else if (vertex.getInvokableClass() === undefined && options.isKnownInvokable?.(invokable) === false) {
      problems.push(`${name} names the invokable '${invokable}', which is not registered.`);
    }
    for (const edge of vertex.getInputs()) {
      const producer = edge.getSource().getProducer();
      if (jobGraph.findVertexByID(producer.getID()) !== producer) {
        hasEdgeOutsideGraph = true;
        problems.push(
          `${name} consumes from '${producer.getName()}' (${producer.getID()}), which is not in the job graph.`,
        );
      }
      if (!partitionerFitsPattern(edge.getPartitioner(), edge.getDistributionPattern())) {
        problems.push(
          `${name} uses the '${edge.getPartitioner().type}' partitioner on a ${edge.getDistributionPattern()} input; ` +
            (edge.getDistributionPattern() === 'POINTWISE'
              ? 'POINTWISE inputs take forward or rescale.'
              : 'ALL_TO_ALL inputs take rebalance, hash or broadcast.'),
        );
      }
    }
    for (const dataSet of vertex.getProducedDataSets()) {
      for (const edge of dataSet.getConsumers()) {
        const target = edge.getTarget();
        if (jobGraph.findVertexByID(target.getID()) !== target) {
          hasEdgeOutsideGraph = true;
          problems.push(
            `${name} produces for '${target.getName()}' (${target.getID()}), which is not in the job graph.`,
          );
        }
      }
    }
  }

  const invokableClasses = new Map<string, unknown>();
  for (const vertex of vertices) {
    const cls = vertex.getInvokableClass();
    const invokable = vertex.getInvokableClassName();
    if (cls === undefined || invokable === undefined) continue;
    const other = invokableClasses.get(invokable);
    if (other !== undefined && other !== cls) {
      problems.push(
        `Two different invokable classes are named '${invokable}'; give one a static invokableName.`,
      );
    }
    invokableClasses.set(invokable, cls);
  }

  if (vertices.length > 0 && !hasEdgeOutsideGraph) {
    try {
      jobGraph.getVerticesSortedTopologicallyFromSources();
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}

/** Throws InvalidJobGraphError listing every problem, if there is any. */
export function checkJobGraph(jobGraph: JobGraph, options: JobGraphValidationOptions = {}): void {
  const problems = validateJobGraph(jobGraph, options);
  if (problems.length > 0) throw new InvalidJobGraphError(problems);
}
