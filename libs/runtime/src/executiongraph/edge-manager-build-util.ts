import type { DistributionPattern } from '../jobgraph/enums.js';
import type { ExecutionJobVertex } from './execution-job-vertex.js';
import { ConsumedPartitionGroup, ConsumerVertexGroup } from './intermediate-result.js';
import type { IntermediateResult } from './intermediate-result.js';

/**
 * Wires the subtasks of `consumer` to the partitions of `result` as Flink's EdgeManagerBuildUtil
 * does. ALL_TO_ALL: one ConsumedPartitionGroup and one ConsumerVertexGroup shared by everyone,
 * O(n + m). POINTWISE: equal parallelism maps i → i; more producers than consumers gives consumer
 * i the partitions [i·n/m, (i+1)·n/m); fewer gives partition i the consumers
 * [⌈i·m/n⌉, ⌈(i+1)·m/n⌉).
 */
export function connectVertexToResult(
  consumer: ExecutionJobVertex,
  result: IntermediateResult,
  pattern: DistributionPattern,
): void {
  consumer.addInput(result);
  result.setConsumer(consumer);
  if (pattern === 'ALL_TO_ALL') connectAllToAll(consumer, result);
  else connectPointwise(consumer, result);
}

function range(start: number, end: number): number[] {
  const values = new Array<number>(end - start);
  for (let i = start; i < end; i++) values[i - start] = i;
  return values;
}

function connectAllToAll(consumer: ExecutionJobVertex, result: IntermediateResult): void {
  const partitions = result.getPartitions();
  const consumedGroup = new ConsumedPartitionGroup(
    result.getId(),
    range(0, partitions.length),
    result.getResultType(),
  );
  const consumerGroup = new ConsumerVertexGroup(consumer, range(0, consumer.getParallelism()));
  for (const vertex of consumer.getTaskVertices()) vertex.addConsumedPartitionGroup(consumedGroup);
  for (const partition of partitions) {
    partition.setConsumers(consumerGroup);
    partition.addConsumedPartitionGroup(consumedGroup);
  }
}

function connectPointwise(consumer: ExecutionJobVertex, result: IntermediateResult): void {
  const partitions = result.getPartitions();
  const sourceCount = partitions.length;
  const targetCount = consumer.getParallelism();
  const type = result.getResultType();

  if (sourceCount === targetCount) {
    for (let i = 0; i < sourceCount; i++) {
      const partition = partitions[i];
      if (partition === undefined) continue;
      const group = new ConsumedPartitionGroup(result.getId(), [i], type);
      partition.setConsumers(new ConsumerVertexGroup(consumer, [i]));
      partition.addConsumedPartitionGroup(group);
      consumer.getTaskVertex(i).addConsumedPartitionGroup(group);
    }
  } else if (sourceCount > targetCount) {
    for (let index = 0; index < targetCount; index++) {
      const start = Math.floor((index * sourceCount) / targetCount);
      const end = Math.floor(((index + 1) * sourceCount) / targetCount);
      const group = new ConsumedPartitionGroup(result.getId(), range(start, end), type);
      const consumers = new ConsumerVertexGroup(consumer, [index]);
      for (let i = start; i < end; i++) {
        const partition = partitions[i];
        if (partition === undefined) continue;
        partition.setConsumers(consumers);
        partition.addConsumedPartitionGroup(group);
      }
      consumer.getTaskVertex(index).addConsumedPartitionGroup(group);
    }
  } else {
    for (let partitionNum = 0; partitionNum < sourceCount; partitionNum++) {
      const partition = partitions[partitionNum];
      if (partition === undefined) continue;
      const group = new ConsumedPartitionGroup(result.getId(), [partitionNum], type);
      partition.addConsumedPartitionGroup(group);
      const start = Math.floor((partitionNum * targetCount + sourceCount - 1) / sourceCount);
      const end = Math.floor(((partitionNum + 1) * targetCount + sourceCount - 1) / sourceCount);
      partition.setConsumers(new ConsumerVertexGroup(consumer, range(start, end)));
      for (let i = start; i < end; i++) consumer.getTaskVertex(i).addConsumedPartitionGroup(group);
    }
  }
}
