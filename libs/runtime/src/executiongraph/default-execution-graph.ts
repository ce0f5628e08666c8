import type { CheckpointStatsSnapshot } from '../checkpoint/checkpoint-stats.js';
import type { Clock } from '../core/clock.js';
import { SystemClock } from '../core/clock.js';
import type { Configuration } from '../core/configuration.js';
import { IllegalArgumentError } from '../core/errors.js';
import type { ErrorInfo } from '../core/errors.js';
import { ExecutionGraphID, ExecutionVertexID, IntermediateResultPartitionID } from '../core/ids.js';
import type { ExecutionAttemptID, IntermediateDataSetID, JobID, JobVertexID } from '../core/ids.js';
import { mergeAccumulatorSnapshots } from '../execution/accumulators.js';
import type { SerializedAccumulator } from '../execution/accumulators.js';
import type { JobType } from '../jobgraph/enums.js';
import { MAX_PARALLELISM_DEFAULT, PARALLELISM_DEFAULT } from '../jobgraph/enums.js';
import type { JobGraph } from '../jobgraph/job-graph.js';
import { KeyGroupRangeAssignment } from '../state/key-group-range-assignment.js';
import { ArchivedExecutionGraph } from './archived-execution-graph.js';
import type {
  AccessExecutionGraph,
  ArchivedExecutionJobVertexJson,
  ArchivedExecutionJson,
  ExceptionHistoryEntry,
} from './archived-execution-graph.js';
import { connectVertexToResult } from './edge-manager-build-util.js';
import type { Execution } from './execution.js';
import { ExecutionJobVertex } from './execution-job-vertex.js';
import type { ExecutionVertex } from './execution-vertex.js';
import type { IntermediateResult, IntermediateResultPartition } from './intermediate-result.js';
import { JobStatus, checkJobTransition, isTerminalState } from './job-status.js';

export type JobStatusListener = (jobId: JobID, status: JobStatus, timestamp: number) => void;

/** How an execution graph is built; every field has Flink's default. */
export interface ExecutionGraphOptions {
  /** Parallelism of vertices that ask for the default (`parallelism.default`, default 1). */
  readonly defaultParallelism?: number;
  /** Attempts kept per subtask (`jobmanager.execution.attempts-history-size`, default 16). */
  readonly attemptsHistorySize?: number;
  readonly clock?: Clock;
  /** When the job was submitted: recorded as its INITIALIZING timestamp (net runtime starts here). */
  readonly initializationTimestamp?: number;
}

/**
 * The parallel form of a JobGraph (Flink's DefaultExecutionGraph): one ExecutionJobVertex per
 * JobVertex, one ExecutionVertex per subtask, one IntermediateResultPartition per producer
 * subtask and output, and the job's status machine. It holds state only; the scheduler acts on it.
 * Lookups by ID are O(1) without a map per subtask: an ExecutionVertexID names its job vertex and
 * index.
 */
export class DefaultExecutionGraph implements AccessExecutionGraph {
  private readonly graphId = ExecutionGraphID.generate();
  private readonly clock: Clock;
  private readonly attemptsHistorySize: number;
  private readonly verticesById = new Map<JobVertexID, ExecutionJobVertex>();
  private readonly verticesInCreationOrder: ExecutionJobVertex[] = [];
  private readonly intermediateResults = new Map<IntermediateDataSetID, IntermediateResult>();
  private readonly stateTimestamps: Partial<Record<JobStatus, number>> = {};
  private readonly statusListeners: JobStatusListener[] = [];
  private state: JobStatus = JobStatus.CREATED;
  private failureInfo: ErrorInfo | undefined;
  private numberOfExecutionVertices = 0;

  private constructor(
    private readonly jobGraph: JobGraph,
    options: ExecutionGraphOptions,
  ) {
    this.clock = options.clock ?? SystemClock;
    this.attemptsHistorySize = options.attemptsHistorySize ?? 16;
    this.stateTimestamps.CREATED = this.clock.absoluteTimeMillis();
    this.stateTimestamps.INITIALIZING = options.initializationTimestamp ?? this.stateTimestamps.CREATED;
  }

  /** Builds the execution graph of `jobGraph` (which must be valid: see validateJobGraph). */
  static build(jobGraph: JobGraph, options: ExecutionGraphOptions = {}): DefaultExecutionGraph {
    const graph = new DefaultExecutionGraph(jobGraph, options);
    const defaultParallelism = options.defaultParallelism ?? 1;
    for (const jobVertex of jobGraph.getVerticesSortedTopologicallyFromSources()) {
      const parallelism =
        jobVertex.getParallelism() === PARALLELISM_DEFAULT ? defaultParallelism : jobVertex.getParallelism();
      const maxParallelism =
        jobVertex.getMaxParallelism() === MAX_PARALLELISM_DEFAULT
          ? KeyGroupRangeAssignment.computeDefaultMaxParallelism(parallelism)
          : jobVertex.getMaxParallelism();
      if (parallelism > maxParallelism) {
        throw new IllegalArgumentError(
          `Vertex '${jobVertex.getName()}' has parallelism ${parallelism}, above its max parallelism ${maxParallelism}.`,
        );
      }
      const ejv = new ExecutionJobVertex(graph, jobVertex, parallelism, maxParallelism);
      for (const edge of jobVertex.getInputs()) {
        const result = graph.intermediateResults.get(edge.getSource().getId());
        if (result === undefined) {
          throw new IllegalArgumentError(
            `Vertex '${jobVertex.getName()}' consumes an unknown data set ${edge.getSource().getId()}.`,
          );
        }
        connectVertexToResult(ejv, result, edge.getDistributionPattern());
      }
      for (const result of ejv.getProducedDataSets()) graph.intermediateResults.set(result.getId(), result);
      graph.verticesById.set(jobVertex.getID(), ejv);
      graph.verticesInCreationOrder.push(ejv);
      graph.numberOfExecutionVertices += parallelism;
    }
    return graph;
  }

  getGraphId(): ExecutionGraphID {
    return this.graphId;
  }
  getClock(): Clock {
    return this.clock;
  }
  getAttemptsHistorySize(): number {
    return this.attemptsHistorySize;
  }
  getJobGraph(): JobGraph {
    return this.jobGraph;
  }
  getJobID(): JobID {
    return this.jobGraph.getJobID();
  }
  getJobName(): string {
    return this.jobGraph.getName();
  }
  getJobType(): JobType {
    return this.jobGraph.getJobType();
  }
  getJobConfiguration(): Configuration {
    return this.jobGraph.getJobConfiguration();
  }
  isStoppable(): boolean {
    return false;
  }
  getState(): JobStatus {
    return this.state;
  }
  getStatusTimestamp(status: JobStatus): number {
    return this.stateTimestamps[status] ?? 0;
  }
  getFailureInfo(): ErrorInfo | undefined {
    return this.failureInfo;
  }
  getFailureCauseAsString(): string {
    const failure = this.failureInfo?.exception;
    return failure === undefined ? '(empty)' : (failure.stack ?? `${failure.name}: ${failure.message}`);
  }

  /** Job vertices in topological order. */
  getVerticesTopologically(): readonly ExecutionJobVertex[] {
    return this.verticesInCreationOrder;
  }
  getJobVertex(id: JobVertexID): ExecutionJobVertex | undefined {
    return this.verticesById.get(id);
  }
  getNumberOfExecutionJobVertices(): number {
    return this.verticesInCreationOrder.length;
  }
  getTotalNumberOfVertices(): number {
    return this.numberOfExecutionVertices;
  }

  *getAllExecutionVertices(): IterableIterator<ExecutionVertex> {
    for (const ejv of this.verticesInCreationOrder) yield* ejv.getTaskVertices();
  }

  getExecutionVertex(id: ExecutionVertexID): ExecutionVertex | undefined {
    return this.verticesById.get(ExecutionVertexID.jobVertexId(id))?.getTaskVertices()[
      ExecutionVertexID.subtaskIndex(id)
    ];
  }

  /** The current attempt with this ID, or undefined for an unknown or superseded attempt. */
  getCurrentExecution(attemptId: ExecutionAttemptID): Execution | undefined {
    const vertexId = attemptId.slice(33, attemptId.lastIndexOf('_')) as ExecutionVertexID;
    if (!attemptId.startsWith(this.graphId)) return undefined;
    const execution = this.getExecutionVertex(vertexId)?.getCurrentExecutionAttempt();
    return execution?.getAttemptId() === attemptId ? execution : undefined;
  }

  getIntermediateResult(id: IntermediateDataSetID): IntermediateResult | undefined {
    return this.intermediateResults.get(id);
  }

  getResultPartition(id: IntermediateResultPartitionID): IntermediateResultPartition | undefined {
    return this.intermediateResults
      .get(IntermediateResultPartitionID.dataSetId(id))
      ?.getPartition(IntermediateResultPartitionID.partitionNumber(id));
  }

  registerJobStatusListener(listener: JobStatusListener): void {
    this.statusListeners.push(listener);
  }

  /**
   * Compare-and-set of the job status: moves from `expected` to `target` and returns true, or
   * returns false if the status is no longer `expected`. Throws IllegalJobStatusTransitionError for
   * a transition the state machine does not have.
   */
  transitionState(expected: JobStatus, target: JobStatus, failure?: ErrorInfo): boolean {
    if (this.state !== expected) return false;
    checkJobTransition(expected, target);
    this.state = target;
    const timestamp = this.clock.absoluteTimeMillis();
    this.stateTimestamps[target] = timestamp;
    if (failure !== undefined) this.failureInfo = failure;
    for (const listener of this.statusListeners) listener(this.getJobID(), target, timestamp);
    return true;
  }

  isTerminal(): boolean {
    return isTerminalState(this.state);
  }

  /** Accumulators of all current attempts that reported, merged by name. */
  getAggregatedAccumulators(): Record<string, SerializedAccumulator> {
    const reports: Readonly<Record<string, SerializedAccumulator>>[] = [];
    for (const vertex of this.getAllExecutionVertices()) {
      const report = vertex.getCurrentExecutionAttempt().getAccumulators();
      if (report !== undefined) reports.push(report);
    }
    return mergeAccumulatorSnapshots(reports);
  }

  /** A snapshot of the graph as plain data, with the scheduler's exception history. */
  archive(
    exceptionHistory: readonly ExceptionHistoryEntry[] = [],
    checkpointStats?: CheckpointStatsSnapshot,
  ): ArchivedExecutionGraph {
    const checkpointConfiguration = this.jobGraph
      .getCheckpointingSettings()
      ?.getCheckpointCoordinatorConfiguration()
      .toJson();
    return ArchivedExecutionGraph.fromJson({
      jobId: this.getJobID(),
      jobName: this.getJobName(),
      jobType: this.getJobType(),
      state: this.state,
      stateTimestamps: { ...this.stateTimestamps },
      ...(this.failureInfo !== undefined ? { failureInfo: this.failureInfo } : {}),
      vertices: this.verticesInCreationOrder.map((ejv) => archiveJobVertex(ejv)),
      jobConfiguration: this.getJobConfiguration().toMap(),
      accumulators: this.getAggregatedAccumulators(),
      exceptionHistory: [...exceptionHistory],
      checkpointingEnabled: this.jobGraph.isCheckpointingEnabled(),
      ...(checkpointConfiguration !== undefined ? { checkpointConfiguration } : {}),
      ...(checkpointStats !== undefined ? { checkpointStats } : {}),
    });
  }
}

function archiveExecution(execution: Execution): ArchivedExecutionJson {
  const failureInfo = execution.getFailureInfo();
  const location = execution.getAssignedResourceLocation();
  const ioMetrics = execution.getIOMetrics();
  return {
    attemptId: execution.getAttemptId(),
    attemptNumber: execution.getAttemptNumber(),
    state: execution.getState(),
    stateTimestamps: execution.getStateTimestamps(),
    ...(failureInfo !== undefined ? { failureInfo } : {}),
    ...(location !== undefined ? { location } : {}),
    ...(ioMetrics !== undefined ? { ioMetrics: { ...ioMetrics } } : {}),
  };
}

function archiveJobVertex(ejv: ExecutionJobVertex): ArchivedExecutionJobVertexJson {
  const jobVertex = ejv.getJobVertex();
  const reports = ejv
    .getTaskVertices()
    .map((vertex) => vertex.getCurrentExecutionAttempt().getAccumulators())
    .filter((report) => report !== undefined);
  return {
    id: ejv.getJobVertexId(),
    name: ejv.getName(),
    parallelism: ejv.getParallelism(),
    maxParallelism: ejv.getMaxParallelism(),
    invokable: jobVertex.getInvokableClassName() ?? '',
    aggregateState: ejv.getAggregateState(),
    stateCounts: ejv.getStateCounts(),
    inputs: jobVertex.getInputs().map((edge) => ({
      dataSetId: edge.getSource().getId(),
      source: edge.getSource().getProducer().getID(),
      distributionPattern: edge.getDistributionPattern(),
      resultPartitionType: edge.getSource().getResultType(),
      shipStrategy: edge.getShipStrategyName(),
    })),
    subtasks: ejv.getTaskVertices().map((vertex) => ({
      subtaskIndex: vertex.getParallelSubtaskIndex(),
      taskNameWithSubtaskIndex: vertex.getTaskNameWithSubtaskIndex(),
      currentExecution: archiveExecution(vertex.getCurrentExecutionAttempt()),
      priorExecutions: vertex.getPriorExecutions().map(archiveExecution),
    })),
    accumulators: mergeAccumulatorSnapshots(reports),
  };
}
