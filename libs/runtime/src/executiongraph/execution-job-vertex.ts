import type { JobVertexID } from '../core/ids.js';
import { EXECUTION_STATES, ExecutionState } from '../execution/execution-state.js';
import type { JobVertex } from '../jobgraph/job-vertex.js';
import type { DefaultExecutionGraph } from './default-execution-graph.js';
import { ExecutionVertex } from './execution-vertex.js';
import { IntermediateResult, IntermediateResultPartition } from './intermediate-result.js';

/** Counts of subtasks per execution state. */
export type ExecutionStateCounts = Record<ExecutionState, number>;

export function emptyStateCounts(): ExecutionStateCounts {
  return Object.fromEntries(EXECUTION_STATES.map((s) => [s, 0])) as ExecutionStateCounts;
}

/**
 * Flink's aggregate state of a job vertex from its subtasks' states: FAILED wins, then CANCELING,
 * CANCELED, INITIALIZING, RUNNING; FINISHED only when every subtask finished; everything else
 * (SCHEDULED, DEPLOYING, RECONCILING) collapses to CREATED, as in Flink.
 */
export function aggregateExecutionState(counts: ExecutionStateCounts, parallelism: number): ExecutionState {
  if (counts.FAILED > 0) return ExecutionState.FAILED;
  if (counts.CANCELING > 0) return ExecutionState.CANCELING;
  if (counts.CANCELED > 0) return ExecutionState.CANCELED;
  if (counts.INITIALIZING > 0) return ExecutionState.INITIALIZING;
  if (counts.RUNNING > 0) return ExecutionState.RUNNING;
  if (counts.FINISHED > 0)
    return counts.FINISHED === parallelism ? ExecutionState.FINISHED : ExecutionState.RUNNING;
  return ExecutionState.CREATED;
}

/**
 * All parallel subtasks of one JobVertex in the execution graph (Flink's ExecutionJobVertex), with
 * the intermediate results they produce.
 */
export class ExecutionJobVertex {
  private readonly taskVertices: ExecutionVertex[];
  private readonly producedDataSets: IntermediateResult[];
  private readonly inputs: IntermediateResult[] = [];

  constructor(
    private readonly graph: DefaultExecutionGraph,
    private readonly jobVertex: JobVertex,
    private readonly parallelism: number,
    private readonly maxParallelism: number,
  ) {
    this.producedDataSets = jobVertex
      .getProducedDataSets()
      .map((dataSet) => new IntermediateResult(dataSet, this));
    this.taskVertices = new Array<ExecutionVertex>(parallelism);
    for (let i = 0; i < parallelism; i++) {
      const vertex = new ExecutionVertex(this, i);
      for (const result of this.producedDataSets) {
        const partition = new IntermediateResultPartition(result, vertex, i);
        result.addPartition(partition);
        vertex.addProducedPartition(partition);
      }
      this.taskVertices[i] = vertex;
    }
  }

  getGraph(): DefaultExecutionGraph {
    return this.graph;
  }
  getJobVertex(): JobVertex {
    return this.jobVertex;
  }
  getJobVertexId(): JobVertexID {
    return this.jobVertex.getID();
  }
  getName(): string {
    return this.jobVertex.getName();
  }
  getParallelism(): number {
    return this.parallelism;
  }
  getMaxParallelism(): number {
    return this.maxParallelism;
  }
  getTaskVertices(): readonly ExecutionVertex[] {
    return this.taskVertices;
  }
  getTaskVertex(subtaskIndex: number): ExecutionVertex {
    const vertex = this.taskVertices[subtaskIndex];
    if (vertex === undefined) throw new RangeError(`${this.getName()} has no subtask ${subtaskIndex}.`);
    return vertex;
  }
  getProducedDataSets(): readonly IntermediateResult[] {
    return this.producedDataSets;
  }
  /** The results this vertex consumes, in the order of the JobVertex's inputs. */
  getInputs(): readonly IntermediateResult[] {
    return this.inputs;
  }
  /** @internal graph building */
  addInput(result: IntermediateResult): void {
    this.inputs.push(result);
  }

  getStateCounts(): ExecutionStateCounts {
    const counts = emptyStateCounts();
    for (const vertex of this.taskVertices) counts[vertex.getExecutionState()]++;
    return counts;
  }

  getAggregateState(): ExecutionState {
    return aggregateExecutionState(this.getStateCounts(), this.parallelism);
  }

  toString(): string {
    return `ExecutionJobVertex(${this.getName()} | ${this.getJobVertexId()})`;
  }
}
