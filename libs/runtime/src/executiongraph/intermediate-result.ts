import { IntermediateResultPartitionID } from '../core/ids.js';
import type { ExecutionVertexID, IntermediateDataSetID } from '../core/ids.js';
import type { ResultPartitionType } from '../jobgraph/enums.js';
import type { IntermediateDataSet } from '../jobgraph/job-vertex.js';
import type { ExecutionJobVertex } from './execution-job-vertex.js';
import type { ExecutionVertex } from './execution-vertex.js';

/**
 * The partitions one consumer input reads (Flink's ConsumedPartitionGroup). For ALL_TO_ALL edges a
 * single group is shared by every consumer subtask, so wiring n producers to m consumers costs
 * O(n + m), never n×m. It counts its unfinished partitions so that a scheduler learns in O(1) when
 * all of a BLOCKING input is done.
 */
export class ConsumedPartitionGroup {
  private unfinishedPartitions: number;

  constructor(
    readonly dataSetId: IntermediateDataSetID,
    /** Partition numbers of `dataSetId`, in channel order. */
    readonly partitionNumbers: readonly number[],
    readonly resultType: ResultPartitionType,
  ) {
    this.unfinishedPartitions = partitionNumbers.length;
  }

  size(): number {
    return this.partitionNumbers.length;
  }

  getPartitionIds(): IntermediateResultPartitionID[] {
    return this.partitionNumbers.map((n) => IntermediateResultPartitionID.of(this.dataSetId, n));
  }

  /** @internal a producer of this group finished its partition */
  partitionFinished(): number {
    return --this.unfinishedPartitions;
  }

  /** @internal a producer of this group restarts: its partition must be produced again */
  partitionUnfinished(): void {
    this.unfinishedPartitions++;
  }

  areAllPartitionsFinished(): boolean {
    return this.unfinishedPartitions === 0;
  }
}

/** The consumer subtasks of a partition (Flink's ConsumerVertexGroup): shared across ALL_TO_ALL. */
export class ConsumerVertexGroup {
  constructor(
    readonly consumer: ExecutionJobVertex,
    /** Subtask indices of `consumer`, in subpartition order. */
    readonly subtaskIndices: readonly number[],
  ) {}

  /** The subpartition a consumer subtask reads: groups are contiguous ranges of subtasks. */
  subpartitionIndexOf(subtaskIndex: number): number {
    return subtaskIndex - (this.subtaskIndices[0] ?? 0);
  }

  getVertices(): ExecutionVertex[] {
    return this.subtaskIndices.map((i) => this.consumer.getTaskVertex(i));
  }

  getVertexIds(): ExecutionVertexID[] {
    return this.subtaskIndices.map((i) => this.consumer.getTaskVertex(i).getId());
  }
}

/** One producer subtask's partition of an IntermediateResult. */
export class IntermediateResultPartition {
  private readonly id: IntermediateResultPartitionID;
  private consumerVertexGroup: ConsumerVertexGroup | undefined;
  private consumedPartitionGroups: ConsumedPartitionGroup[] = [];
  private finished = false;

  constructor(
    private readonly result: IntermediateResult,
    private readonly producer: ExecutionVertex,
    private readonly partitionNumber: number,
  ) {
    this.id = IntermediateResultPartitionID.of(result.getId(), partitionNumber);
  }

  getPartitionId(): IntermediateResultPartitionID {
    return this.id;
  }
  getPartitionNumber(): number {
    return this.partitionNumber;
  }
  getIntermediateResult(): IntermediateResult {
    return this.result;
  }
  getProducer(): ExecutionVertex {
    return this.producer;
  }
  getResultType(): ResultPartitionType {
    return this.result.getResultType();
  }

  /** The consumers of this partition; one subpartition per consumer, in this order. */
  getConsumerVertexGroup(): ConsumerVertexGroup | undefined {
    return this.consumerVertexGroup;
  }
  getNumberOfSubpartitions(): number {
    return this.consumerVertexGroup?.subtaskIndices.length ?? 1;
  }
  getConsumedPartitionGroups(): readonly ConsumedPartitionGroup[] {
    return this.consumedPartitionGroups;
  }

  /** True once the producer finished: a BLOCKING partition is then consumable. */
  isFinished(): boolean {
    return this.finished;
  }

  /** @internal wiring */
  setConsumers(group: ConsumerVertexGroup): void {
    this.consumerVertexGroup = group;
  }
  /** @internal wiring */
  addConsumedPartitionGroup(group: ConsumedPartitionGroup): void {
    this.consumedPartitionGroups.push(group);
  }

  /**
   * The producer finished. Returns the groups that became fully finished, whose consumers may
   * now be scheduled.
   */
  markFinished(): ConsumedPartitionGroup[] {
    if (this.finished) return [];
    this.finished = true;
    const completed: ConsumedPartitionGroup[] = [];
    for (const group of this.consumedPartitionGroups)
      if (group.partitionFinished() === 0) completed.push(group);
    return completed;
  }

  /** The producer is restarted: the partition must be produced again. */
  resetForNewExecution(): void {
    if (!this.finished) return;
    this.finished = false;
    for (const group of this.consumedPartitionGroups) group.partitionUnfinished();
  }
}

/** The result of a job vertex: one partition per producer subtask (Flink's IntermediateResult). */
export class IntermediateResult {
  private readonly partitions: IntermediateResultPartition[] = [];
  private consumer: ExecutionJobVertex | undefined;

  constructor(
    private readonly dataSet: IntermediateDataSet,
    private readonly producer: ExecutionJobVertex,
  ) {}

  getId(): IntermediateDataSetID {
    return this.dataSet.getId();
  }
  getResultType(): ResultPartitionType {
    return this.dataSet.getResultType();
  }
  getProducer(): ExecutionJobVertex {
    return this.producer;
  }
  getConsumer(): ExecutionJobVertex | undefined {
    return this.consumer;
  }
  getPartitions(): readonly IntermediateResultPartition[] {
    return this.partitions;
  }
  getPartition(partitionNumber: number): IntermediateResultPartition | undefined {
    return this.partitions[partitionNumber];
  }
  getNumberOfAssignedPartitions(): number {
    return this.partitions.length;
  }

  /** @internal graph building */
  addPartition(partition: IntermediateResultPartition): void {
    this.partitions.push(partition);
  }
  /** @internal graph building */
  setConsumer(consumer: ExecutionJobVertex): void {
    this.consumer = consumer;
  }
}
