import { Configuration } from '../core/configuration.js';
import { IllegalArgumentError } from '../core/errors.js';
import { IntermediateDataSetID, JobVertexID } from '../core/ids.js';
import type { OperatorID } from '../core/ids.js';
import { ResourceProfile } from '../core/resource-profile.js';
import type { InvokableClass } from '../execution/invokable.js';
import { MAX_PARALLELISM_DEFAULT, PARALLELISM_DEFAULT } from './enums.js';
import type { DistributionPattern, ResultPartitionType } from './enums.js';
import type { PartitionerSpec } from './partitioner-spec.js';
import { UPPER_BOUND_MAX_PARALLELISM } from '../state/key-group-range-assignment.js';

/** Flink's default slot sharing group: tasks in one group share slots by subtask index. */
export const DEFAULT_SLOT_SHARING_GROUP = 'default';

/** A result a vertex produces: one partition per producer subtask, consumed through JobEdges. */
export class IntermediateDataSet {
  private readonly consumers: JobEdge[] = [];

  constructor(
    private readonly id: IntermediateDataSetID,
    private readonly producer: JobVertex,
    private readonly resultType: ResultPartitionType,
  ) {}

  getId(): IntermediateDataSetID {
    return this.id;
  }
  getProducer(): JobVertex {
    return this.producer;
  }
  getResultType(): ResultPartitionType {
    return this.resultType;
  }
  getConsumers(): readonly JobEdge[] {
    return this.consumers;
  }
  /** @internal called by JobVertex when an edge is created */
  addConsumer(edge: JobEdge): void {
    if (this.consumers.length > 0) {
      throw new IllegalArgumentError(
        `Data set ${this.id} of '${this.producer.getName()}' already has a consumer; connect a new data set instead.`,
      );
    }
    this.consumers.push(edge);
  }
}

/** A connection from an IntermediateDataSet to the vertex that consumes it. */
export class JobEdge {
  constructor(
    private readonly source: IntermediateDataSet,
    private readonly target: JobVertex,
    private readonly distributionPattern: DistributionPattern,
    private readonly partitioner: PartitionerSpec,
  ) {}

  getSource(): IntermediateDataSet {
    return this.source;
  }
  getTarget(): JobVertex {
    return this.target;
  }
  getDistributionPattern(): DistributionPattern {
    return this.distributionPattern;
  }
  getPartitioner(): PartitionerSpec {
    return this.partitioner;
  }
  /** Flink's ship strategy name for display (`HASH`, `REBALANCE`, `FORWARD`, …). */
  getShipStrategyName(): string {
    return this.partitioner.type === 'hash' ? 'HASH' : this.partitioner.type.toUpperCase();
  }
}

/** The default partitioner of an edge: forward for POINTWISE, rebalance for ALL_TO_ALL (as Flink). */
export function defaultPartitioner(pattern: DistributionPattern): PartitionerSpec {
  return pattern === 'POINTWISE' ? { type: 'forward' } : { type: 'rebalance' };
}

/**
 * A node of the JobGraph: an operation run by `parallelism` parallel subtasks, each an instance of
 * the vertex's invokable. The invokable is given as a class (`setInvokableClass`) or by the name
 * it is registered under (`setInvokableClassName`); a job that travels as JSON names it.
 */
export class JobVertex {
  private readonly id: JobVertexID;
  private name: string;
  private parallelism = PARALLELISM_DEFAULT;
  private maxParallelism = MAX_PARALLELISM_DEFAULT;
  private invokableClass: InvokableClass | undefined;
  private invokableClassName: string | undefined;
  private readonly configuration = new Configuration();
  private readonly inputs: JobEdge[] = [];
  private readonly results: IntermediateDataSet[] = [];
  private slotSharingGroup = DEFAULT_SLOT_SHARING_GROUP;
  private minResources = ResourceProfile.ANY;
  private operators: readonly { readonly operatorId: OperatorID; readonly uid?: string }[] | undefined;

  constructor(name: string, id: JobVertexID = JobVertexID.generate()) {
    this.name = name;
    this.id = id;
  }

  getID(): JobVertexID {
    return this.id;
  }
  /** Alias of getID, as the seed spells it. */
  getId(): JobVertexID {
    return this.id;
  }
  getName(): string {
    return this.name;
  }
  setName(name: string): void {
    this.name = name;
  }

  /** @param parallelism >= 1, or PARALLELISM_DEFAULT (-1) for the job's `parallelism.default`. */
  setParallelism(parallelism: number): void {
    if (!Number.isInteger(parallelism) || (parallelism < 1 && parallelism !== PARALLELISM_DEFAULT)) {
      throw new IllegalArgumentError(
        `The parallelism of '${this.name}' must be at least 1, got ${parallelism}.`,
      );
    }
    this.parallelism = parallelism;
  }
  getParallelism(): number {
    return this.parallelism;
  }

  /** @param maxParallelism 1..32768, or -1 to derive it from the parallelism (Flink's rule). */
  setMaxParallelism(maxParallelism: number): void {
    if (
      !Number.isInteger(maxParallelism) ||
      (maxParallelism !== MAX_PARALLELISM_DEFAULT &&
        (maxParallelism < 1 || maxParallelism > UPPER_BOUND_MAX_PARALLELISM))
    ) {
      throw new IllegalArgumentError(
        `The max parallelism of '${this.name}' must be between 1 and ${UPPER_BOUND_MAX_PARALLELISM}, got ${maxParallelism}.`,
      );
    }
    this.maxParallelism = maxParallelism;
  }
  getMaxParallelism(): number {
    return this.maxParallelism;
  }

  /**
   * Runs this vertex with `invokable`. Its name (a static `invokableName`, else the class name) is
   * how the job's JSON form and remote TaskExecutors refer to it.
   */
  setInvokableClass(invokable: InvokableClass): void {
    this.invokableClass = invokable;
    this.invokableClassName = invokableNameOf(invokable);
  }
  /** Runs this vertex with the invokable registered under `name`. */
  setInvokableClassName(name: string): void {
    this.invokableClass = undefined;
    this.invokableClassName = name;
  }
  getInvokableClass(): InvokableClass | undefined {
    return this.invokableClass;
  }
  getInvokableClassName(): string | undefined {
    return this.invokableClassName;
  }

  /** The task configuration its invokable reads (Flink's vertex configuration). */
  getConfiguration(): Configuration {
    return this.configuration;
  }

  setSlotSharingGroup(group: string): void {
    this.slotSharingGroup = group;
  }
  getSlotSharingGroup(): string {
    return this.slotSharingGroup;
  }

  setResources(minResources: ResourceProfile): void {
    this.minResources = minResources;
  }
  getMinResources(): ResourceProfile {
    return this.minResources;
  }

  /**
   * The operators this vertex runs, head first (Flink's operator IDs): state in snapshots is keyed
   * by them. A vertex that sets none has one operator whose ID is the vertex ID.
   */
  setOperatorIDs(operators: readonly { readonly operatorId: OperatorID; readonly uid?: string }[]): void {
    if (operators.length === 0)
      throw new IllegalArgumentError(`Vertex '${this.name}' needs at least one operator ID.`);
    this.operators = [...operators];
  }
  getOperatorIDs(): readonly { readonly operatorId: OperatorID; readonly uid?: string }[] {
    return this.operators ?? [{ operatorId: this.id as string as OperatorID }];
  }
  /** Whether operator IDs were set explicitly (rather than derived from the vertex ID). */
  hasExplicitOperatorIDs(): boolean {
    return this.operators !== undefined;
  }

  getInputs(): readonly JobEdge[] {
    return this.inputs;
  }
  getProducedDataSets(): readonly IntermediateDataSet[] {
    return this.results;
  }
  isInputVertex(): boolean {
    return this.inputs.length === 0;
  }
  isOutputVertex(): boolean {
    return this.results.length === 0;
  }

  /** Creates a new result of `input` and makes this vertex its consumer. */
  connectNewDataSetAsInput(
    input: JobVertex,
    distributionPattern: DistributionPattern,
    partitionType: ResultPartitionType,
    partitioner: PartitionerSpec = defaultPartitioner(distributionPattern),
    dataSetId: IntermediateDataSetID = IntermediateDataSetID.generate(),
  ): JobEdge {
    const dataSet = input.createAndAddResultDataSet(dataSetId, partitionType);
    return this.connectDataSetAsInput(dataSet, distributionPattern, partitioner);
  }

  /** Makes this vertex the consumer of an existing result. */
  connectDataSetAsInput(
    dataSet: IntermediateDataSet,
    distributionPattern: DistributionPattern,
    partitioner: PartitionerSpec = defaultPartitioner(distributionPattern),
  ): JobEdge {
    const edge = new JobEdge(dataSet, this, distributionPattern, partitioner);
    dataSet.addConsumer(edge);
    this.inputs.push(edge);
    return edge;
  }

  createAndAddResultDataSet(
    id: IntermediateDataSetID,
    partitionType: ResultPartitionType,
  ): IntermediateDataSet {
    const dataSet = new IntermediateDataSet(id, this, partitionType);
    this.results.push(dataSet);
    return dataSet;
  }

  toString(): string {
    return `${this.name} (${this.id})`;
  }
}

export function invokableNameOf(invokable: InvokableClass): string {
  const declared = (invokable as { invokableName?: unknown }).invokableName;
  return typeof declared === 'string' && declared.length > 0 ? declared : invokable.name;
}
