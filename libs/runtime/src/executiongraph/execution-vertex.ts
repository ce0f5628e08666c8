import { IllegalStateError } from '../core/errors.js';
import { ExecutionVertexID } from '../core/ids.js';
import type { ExecutionState } from '../execution/execution-state.js';
import { Execution } from './execution.js';
import type { ExecutionJobVertex } from './execution-job-vertex.js';
import type { ConsumedPartitionGroup, IntermediateResultPartition } from './intermediate-result.js';

/**
 * One parallel subtask of a job vertex (Flink's ExecutionVertex): its current Execution attempt,
 * the attempts before it (bounded by `jobmanager.execution.attempts-history-size`), the partitions
 * it produces (one per output) and the partition groups it consumes (one per input).
 */
export class ExecutionVertex {
  private readonly id: ExecutionVertexID;
  private currentExecution: Execution;
  private readonly priorExecutions: Execution[] = [];
  private readonly producedPartitions: IntermediateResultPartition[] = [];
  private readonly consumedPartitionGroups: ConsumedPartitionGroup[] = [];

  constructor(
    private readonly jobVertex: ExecutionJobVertex,
    private readonly subtaskIndex: number,
  ) {
    this.id = ExecutionVertexID.of(jobVertex.getJobVertexId(), subtaskIndex);
    this.currentExecution = new Execution(this, 0, jobVertex.getGraph().getClock());
  }

  getId(): ExecutionVertexID {
    return this.id;
  }
  getJobVertex(): ExecutionJobVertex {
    return this.jobVertex;
  }
  getParallelSubtaskIndex(): number {
    return this.subtaskIndex;
  }
  getTaskName(): string {
    return this.jobVertex.getName();
  }
  /** `name (i+1/p)`, Flink's way to name a subtask. */
  getTaskNameWithSubtaskIndex(): string {
    return `${this.jobVertex.getName()} (${this.subtaskIndex + 1}/${this.jobVertex.getParallelism()})`;
  }
  getCurrentExecutionAttempt(): Execution {
    return this.currentExecution;
  }
  getExecutionState(): ExecutionState {
    return this.currentExecution.getState();
  }
  /** Earlier attempts, oldest first (at most the configured history size). */
  getPriorExecutions(): readonly Execution[] {
    return this.priorExecutions;
  }
  getProducedPartitions(): readonly IntermediateResultPartition[] {
    return this.producedPartitions;
  }
  getConsumedPartitionGroups(): readonly ConsumedPartitionGroup[] {
    return this.consumedPartitionGroups;
  }

  /** @internal graph building */
  addProducedPartition(partition: IntermediateResultPartition): void {
    this.producedPartitions.push(partition);
  }
  /** @internal graph building */
  addConsumedPartitionGroup(group: ConsumedPartitionGroup): void {
    this.consumedPartitionGroups.push(group);
  }

  /**
   * Starts a new attempt after the current one ended: the old attempt goes to the history and its
   * partitions must be produced again. Throws if the current attempt is not terminal.
   */
  resetForNewExecution(): Execution {
    const old = this.currentExecution;
    if (!old.isTerminal()) {
      throw new IllegalStateError(
        `Cannot reset ${this.getTaskNameWithSubtaskIndex()}: attempt is still ${old.getState()}.`,
      );
    }
    this.priorExecutions.push(old);
    const historySize = this.jobVertex.getGraph().getAttemptsHistorySize();
    if (this.priorExecutions.length > historySize)
      this.priorExecutions.splice(0, this.priorExecutions.length - historySize);
    for (const partition of this.producedPartitions) partition.resetForNewExecution();
    this.currentExecution = new Execution(
      this,
      old.getAttemptNumber() + 1,
      this.jobVertex.getGraph().getClock(),
    );
    return this.currentExecution;
  }

  toString(): string {
    return this.getTaskNameWithSubtaskIndex();
  }
}
