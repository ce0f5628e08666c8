import { describe, expect, it } from 'vitest';

import { ManualClock } from '../core/clock.js';
import { IllegalArgumentError } from '../core/errors.js';
import {
  ExecutionAttemptID,
  ExecutionVertexID,
  IntermediateDataSetID,
  IntermediateResultPartitionID,
  JobVertexID,
} from '../core/ids.js';
import { DistributionPattern, PARALLELISM_DEFAULT, ResultPartitionType } from '../jobgraph/enums.js';
import type {
  DistributionPattern as Pattern,
  ResultPartitionType as PartitionType,
} from '../jobgraph/enums.js';
import { JobGraph } from '../jobgraph/job-graph.js';
import { JobVertex } from '../jobgraph/job-vertex.js';
import { DefaultExecutionGraph } from './default-execution-graph.js';
import type { ExecutionJobVertex } from './execution-job-vertex.js';
import { IllegalJobStatusTransitionError } from './job-status.js';
import type { JobStatus } from './job-status.js';

function jobVertex(name: string, parallelism: number): JobVertex {
  const v = new JobVertex(name);
  v.setParallelism(parallelism);
  v.setInvokableClassName('eddy.forward');
  return v;
}

/** producer → consumer with the given parallelisms and pattern, built into an execution graph. */
function twoVertices(
  producerParallelism: number,
  consumerParallelism: number,
  pattern: Pattern,
  type: PartitionType = ResultPartitionType.PIPELINED,
): { graph: DefaultExecutionGraph; producer: ExecutionJobVertex; consumer: ExecutionJobVertex } {
  const producer = jobVertex('producer', producerParallelism);
  const consumer = jobVertex('consumer', consumerParallelism);
  consumer.connectNewDataSetAsInput(producer, pattern, type, {
    type: pattern === 'POINTWISE' ? 'rescale' : 'hash',
  });
  const jobGraph = new JobGraph('job');
  jobGraph.addVertex(consumer);
  jobGraph.addVertex(producer);
  const graph = DefaultExecutionGraph.build(jobGraph);
  const producerEjv = graph.getJobVertex(producer.getID());
  const consumerEjv = graph.getJobVertex(consumer.getID());
  if (producerEjv === undefined || consumerEjv === undefined) throw new Error('vertex missing');
  return { graph, producer: producerEjv, consumer: consumerEjv };
}

/** For each consumer subtask, the partition numbers it reads (its one input). */
function consumedPartitions(consumer: ExecutionJobVertex): number[][] {
  return consumer.getTaskVertices().map((v) => {
    expect(v.getConsumedPartitionGroups()).toHaveLength(1);
    return [...(v.getConsumedPartitionGroups()[0]?.partitionNumbers ?? [])];
  });
}

/** For each producer subtask, the consumer subtasks of its partition (its one output). */
function partitionConsumers(producer: ExecutionJobVertex): number[][] {
  return producer.getTaskVertices().map((v) => {
    expect(v.getProducedPartitions()).toHaveLength(1);
    return [...(v.getProducedPartitions()[0]?.getConsumerVertexGroup()?.subtaskIndices ?? [])];
  });
}

describe('DefaultExecutionGraph.build', () => {
  it('creates one ExecutionJobVertex per JobVertex in topological order, and one vertex per subtask', () => {
    const { graph, producer, consumer } = twoVertices(3, 2, DistributionPattern.ALL_TO_ALL);
    expect(graph.getVerticesTopologically()).toEqual([producer, consumer]);
    expect(graph.getNumberOfExecutionJobVertices()).toBe(2);
    expect(graph.getTotalNumberOfVertices()).toBe(5);
    expect([...graph.getAllExecutionVertices()].map((v) => v.getTaskNameWithSubtaskIndex())).toEqual([
      'producer (1/3)',
      'producer (2/3)',
      'producer (3/3)',
      'consumer (1/2)',
      'consumer (2/2)',
    ]);
    expect(graph.getState()).toBe('CREATED');
    expect(graph.getJobName()).toBe('job');
    for (const vertex of graph.getAllExecutionVertices()) {
      expect(graph.getExecutionVertex(vertex.getId())).toBe(vertex);
      expect(vertex.getExecutionState()).toBe('CREATED');
      expect(vertex.getCurrentExecutionAttempt().getAttemptNumber()).toBe(0);
    }
    expect(graph.getExecutionVertex(ExecutionVertexID.of(producer.getJobVertexId(), 3))).toBeUndefined();
    expect(graph.getExecutionVertex(ExecutionVertexID.of(JobVertexID.generate(), 0))).toBeUndefined();
  });

  it('finds intermediate results and their partitions by ID', () => {
    const { graph, producer, consumer } = twoVertices(3, 2, DistributionPattern.ALL_TO_ALL);
    const result = producer.getProducedDataSets()[0];
    if (result === undefined) throw new Error('no result');
    expect(graph.getIntermediateResult(result.getId())).toBe(result);
    expect(result.getProducer()).toBe(producer);
    expect(result.getConsumer()).toBe(consumer);
    expect(consumer.getInputs()).toEqual([result]);
    expect(result.getNumberOfAssignedPartitions()).toBe(3);
    for (const partition of result.getPartitions()) {
      expect(graph.getResultPartition(partition.getPartitionId())).toBe(partition);
      expect(partition.getProducer().getParallelSubtaskIndex()).toBe(partition.getPartitionNumber());
    }
    expect(graph.getResultPartition(IntermediateResultPartitionID.of(result.getId(), 3))).toBeUndefined();
    expect(graph.getIntermediateResult(IntermediateDataSetID.generate())).toBeUndefined();
  });

  it('applies the default parallelism and derives the max parallelism', () => {
    const v = jobVertex('v', 1);
    v.setParallelism(PARALLELISM_DEFAULT);
    const jobGraph = new JobGraph('job');
    jobGraph.addVertex(v);
    const graph = DefaultExecutionGraph.build(jobGraph, { defaultParallelism: 100 });
    expect(graph.getJobVertex(v.getID())?.getParallelism()).toBe(100);
    expect(graph.getJobVertex(v.getID())?.getMaxParallelism()).toBe(256);
    expect(DefaultExecutionGraph.build(jobGraph).getJobVertex(v.getID())?.getParallelism()).toBe(1);
  });

  it('rejects a parallelism above the max parallelism, naming the vertex', () => {
    const v = jobVertex('capped', 8);
    v.setMaxParallelism(4);
    const jobGraph = new JobGraph('job');
    jobGraph.addVertex(v);
    expect(() => DefaultExecutionGraph.build(jobGraph)).toThrow(
      "Vertex 'capped' has parallelism 8, above its max parallelism 4.",
    );
    expect(() => DefaultExecutionGraph.build(jobGraph)).toThrow(IllegalArgumentError);
  });
});

describe('POINTWISE wiring', () => {
  it('4 → 2: each consumer reads two neighbouring partitions, each partition has one consumer', () => {
    const { producer, consumer } = twoVertices(4, 2, DistributionPattern.POINTWISE);
    expect(consumedPartitions(consumer)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(partitionConsumers(producer)).toEqual([[0], [0], [1], [1]]);
    for (const vertex of producer.getTaskVertices()) {
      const partition = vertex.getProducedPartitions()[0];
      expect(partition?.getNumberOfSubpartitions()).toBe(1);
      const group = partition?.getConsumerVertexGroup();
      for (const subtask of group?.subtaskIndices ?? []) expect(group?.subpartitionIndexOf(subtask)).toBe(0);
    }
    // The partitions a consumer reads share its one group, which they also know.
    const group = consumer.getTaskVertex(1).getConsumedPartitionGroups()[0];
    expect(producer.getTaskVertex(2).getProducedPartitions()[0]?.getConsumedPartitionGroups()).toEqual([
      group,
    ]);
    expect(producer.getTaskVertex(3).getProducedPartitions()[0]?.getConsumedPartitionGroups()[0]).toBe(group);
  });

  it('2 → 4: each partition has two consumers, one subpartition each', () => {
    const { producer, consumer } = twoVertices(2, 4, DistributionPattern.POINTWISE);
    expect(consumedPartitions(consumer)).toEqual([[0], [0], [1], [1]]);
    expect(partitionConsumers(producer)).toEqual([
      [0, 1],
      [2, 3],
    ]);
    const [first, second] = producer.getTaskVertices().map((v) => v.getProducedPartitions()[0]);
    expect(first?.getNumberOfSubpartitions()).toBe(2);
    expect(second?.getNumberOfSubpartitions()).toBe(2);
    expect(first?.getConsumerVertexGroup()?.subpartitionIndexOf(0)).toBe(0);
    expect(first?.getConsumerVertexGroup()?.subpartitionIndexOf(1)).toBe(1);
    expect(second?.getConsumerVertexGroup()?.subpartitionIndexOf(2)).toBe(0);
    expect(second?.getConsumerVertexGroup()?.subpartitionIndexOf(3)).toBe(1);
    expect(second?.getConsumerVertexGroup()?.getVertices()).toEqual([
      consumer.getTaskVertex(2),
      consumer.getTaskVertex(3),
    ]);
    expect(second?.getConsumerVertexGroup()?.getVertexIds()).toEqual([
      consumer.getTaskVertex(2).getId(),
      consumer.getTaskVertex(3).getId(),
    ]);
  });

  it('3 → 3: subtask i reads partition i alone', () => {
    const { producer, consumer } = twoVertices(3, 3, DistributionPattern.POINTWISE);
    expect(consumedPartitions(consumer)).toEqual([[0], [1], [2]]);
    expect(partitionConsumers(producer)).toEqual([[0], [1], [2]]);
    for (const vertex of producer.getTaskVertices()) {
      const partition = vertex.getProducedPartitions()[0];
      expect(partition?.getNumberOfSubpartitions()).toBe(1);
      expect(partition?.getConsumerVertexGroup()?.subpartitionIndexOf(vertex.getParallelSubtaskIndex())).toBe(
        0,
      );
    }
    const groups = new Set(consumer.getTaskVertices().map((v) => v.getConsumedPartitionGroups()[0]));
    expect(groups.size).toBe(3);
  });

  it('3 → 2 and 2 → 3 split unevenly as Flink does', () => {
    expect(consumedPartitions(twoVertices(3, 2, DistributionPattern.POINTWISE).consumer)).toEqual([
      [0],
      [1, 2],
    ]);
    expect(partitionConsumers(twoVertices(2, 3, DistributionPattern.POINTWISE).producer)).toEqual([
      [0, 1],
      [2],
    ]);
  });

  it('for every n, m ≤ 8 the two views agree and every partition and consumer is connected', () => {
    for (let n = 1; n <= 8; n++) {
      for (let m = 1; m <= 8; m++) {
        const { producer, consumer } = twoVertices(n, m, DistributionPattern.POINTWISE);
        const reads = consumedPartitions(consumer);
        const readers = partitionConsumers(producer);
        const fromConsumers = new Set(reads.flatMap((partitions, c) => partitions.map((p) => `${p}->${c}`)));
        const fromPartitions = new Set(readers.flatMap((consumers, p) => consumers.map((c) => `${p}->${c}`)));
        expect(fromConsumers).toEqual(fromPartitions);
        expect(reads.every((partitions) => partitions.length >= 1)).toBe(true);
        expect(readers.every((consumers) => consumers.length >= 1)).toBe(true);
        // A pointwise edge has max(n, m) connections: nothing is read twice.
        expect(fromConsumers.size).toBe(Math.max(n, m));
        for (const vertex of producer.getTaskVertices()) {
          const partition = vertex.getProducedPartitions()[0];
          const group = partition?.getConsumerVertexGroup();
          const subpartitions = (group?.subtaskIndices ?? []).map((c) => group?.subpartitionIndexOf(c));
          expect(subpartitions).toEqual([...Array(partition?.getNumberOfSubpartitions()).keys()]);
        }
      }
    }
  });
});

describe('ALL_TO_ALL wiring', () => {
  it('3 → 5: one shared ConsumedPartitionGroup and one shared ConsumerVertexGroup, no n×m objects', () => {
    const { producer, consumer } = twoVertices(3, 5, DistributionPattern.ALL_TO_ALL);
    const consumedGroups = new Set(consumer.getTaskVertices().flatMap((v) => v.getConsumedPartitionGroups()));
    expect(consumedGroups.size).toBe(1);
    const [group] = consumedGroups;
    expect(group?.partitionNumbers).toEqual([0, 1, 2]);
    expect(group?.size()).toBe(3);
    expect(group?.dataSetId).toBe(producer.getProducedDataSets()[0]?.getId());
    expect(group?.resultType).toBe(ResultPartitionType.PIPELINED);
    expect(group?.getPartitionIds()).toEqual(
      producer.getTaskVertices().map((v) => v.getProducedPartitions()[0]?.getPartitionId()),
    );

    const partitions = producer.getTaskVertices().flatMap((v) => v.getProducedPartitions());
    const consumerGroups = new Set(partitions.map((p) => p.getConsumerVertexGroup()));
    expect(consumerGroups.size).toBe(1);
    const [consumers] = consumerGroups;
    expect(consumers?.subtaskIndices).toEqual([0, 1, 2, 3, 4]);
    expect(consumers?.consumer).toBe(consumer);
    for (const partition of partitions) {
      expect(partition.getNumberOfSubpartitions()).toBe(5);
      expect(partition.getConsumedPartitionGroups()).toEqual([group]);
      expect(partition.getConsumedPartitionGroups()[0]).toBe(group);
    }
    for (let i = 0; i < 5; i++) expect(consumers?.subpartitionIndexOf(i)).toBe(i);
  });

  it('counts finished partitions so the shared group completes once, and un-finishes on restart', () => {
    const { producer, consumer } = twoVertices(
      3,
      5,
      DistributionPattern.ALL_TO_ALL,
      ResultPartitionType.BLOCKING,
    );
    const group = consumer.getTaskVertex(0).getConsumedPartitionGroups()[0];
    const partitions = producer.getTaskVertices().map((v) => v.getProducedPartitions()[0]);
    const [p0, p1, p2] = partitions;
    expect(group?.areAllPartitionsFinished()).toBe(false);
    expect(p0?.markFinished()).toEqual([]);
    expect(p0?.markFinished()).toEqual([]);
    expect(p1?.markFinished()).toEqual([]);
    expect(p1?.isFinished()).toBe(true);
    expect(p2?.markFinished()).toEqual([group]);
    expect(group?.areAllPartitionsFinished()).toBe(true);
    p1?.resetForNewExecution();
    p1?.resetForNewExecution();
    expect(p1?.isFinished()).toBe(false);
    expect(group?.areAllPartitionsFinished()).toBe(false);
    expect(p1?.markFinished()).toEqual([group]);
    expect(group?.areAllPartitionsFinished()).toBe(true);
  });
});

describe('job status', () => {
  it('moves by compare-and-set, records when, tells listeners, and keeps the failure', () => {
    const clock = new ManualClock(1000);
    const v = jobVertex('v', 1);
    const jobGraph = new JobGraph('job');
    jobGraph.addVertex(v);
    const graph = DefaultExecutionGraph.build(jobGraph, { clock, initializationTimestamp: 400 });
    const seen: [JobStatus, number][] = [];
    graph.registerJobStatusListener((jobId, status, timestamp) => {
      expect(jobId).toBe(jobGraph.getJobID());
      seen.push([status, timestamp]);
    });
    expect(graph.getStatusTimestamp('INITIALIZING')).toBe(400);
    expect(graph.getStatusTimestamp('CREATED')).toBe(1000);
    expect(graph.getStatusTimestamp('RUNNING')).toBe(0);

    clock.advance(10);
    expect(graph.transitionState('CREATED', 'RUNNING')).toBe(true);
    expect(graph.transitionState('CREATED', 'RUNNING')).toBe(false);
    expect(() => graph.transitionState('RUNNING', 'CREATED')).toThrow(IllegalJobStatusTransitionError);
    expect(graph.getState()).toBe('RUNNING');

    clock.advance(5);
    const failure = { exception: { name: 'Error', message: 'boom' }, timestamp: 1015 };
    expect(graph.transitionState('RUNNING', 'FAILING', failure)).toBe(true);
    clock.advance(5);
    expect(graph.transitionState('FAILING', 'FAILED')).toBe(true);
    expect(graph.isTerminal()).toBe(true);
    expect(graph.getFailureInfo()).toEqual(failure);
    expect(graph.getFailureCauseAsString()).toBe('Error: boom');
    expect(graph.getStatusTimestamp('RUNNING')).toBe(1010);
    expect(graph.getStatusTimestamp('FAILED')).toBe(1020);
    expect(seen).toEqual([
      ['RUNNING', 1010],
      ['FAILING', 1015],
      ['FAILED', 1020],
    ]);
  });

  it('returns undefined for attempts of another graph or malformed IDs', () => {
    const { graph, producer } = twoVertices(1, 1, DistributionPattern.POINTWISE);
    const vertex = producer.getTaskVertex(0);
    const current = vertex.getCurrentExecutionAttempt();
    expect(graph.getCurrentExecution(current.getAttemptId())).toBe(current);
    expect(graph.getCurrentExecution(ExecutionAttemptID.generate(vertex.getId()))).toBeUndefined();
    expect(graph.getCurrentExecution('garbage' as ExecutionAttemptID)).toBeUndefined();
  });
});
