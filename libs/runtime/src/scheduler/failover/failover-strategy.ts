import { ConfigOptions } from '../../core/configuration.js';
import type { Configuration } from '../../core/configuration.js';
import type { IntermediateResultPartitionID } from '../../core/ids.js';
import type { ExecutionVertex } from '../../executiongraph/execution-vertex.js';
import type { ConsumedPartitionGroup } from '../../executiongraph/intermediate-result.js';
import type { PipelinedRegionTopology, SchedulingPipelinedRegion } from '../strategy/pipelined-regions.js';

/** `jobmanager.execution.failover-strategy`: which tasks restart after a failure. */
export const FAILOVER_STRATEGY = ConfigOptions.key('jobmanager.execution.failover-strategy')
  .enumType(['region', 'full'] as const)
  .defaultValue('region')
  .withDescription(
    'region (default): restart the failed region, producers of lost inputs and consumers of restarted regions; full: restart every task.',
  );

/** Decides which vertices restart when one fails (Flink's FailoverStrategy). */
export interface FailoverStrategy {
  getTasksNeedingRestart(failed: ExecutionVertex, cause: Error): Set<ExecutionVertex>;
}

/** Whether a partition's data can still be read by a restarted consumer. */
export type ResultPartitionAvailabilityChecker = (partitionId: IntermediateResultPartitionID) => boolean;

/** Restarts everything (Flink's RestartAllFailoverStrategy). */
export class RestartAllFailoverStrategy implements FailoverStrategy {
  constructor(private readonly topology: PipelinedRegionTopology) {}

  getTasksNeedingRestart(): Set<ExecutionVertex> {
    return new Set(this.topology.getGraph().getAllExecutionVertices());
  }
}

/**
 * Flink's RestartPipelinedRegionFailoverStrategy: restarts (1) the region of the failed task,
 * (2) regions producing BLOCKING inputs of a restarting region that are no longer available,
 * and (3) every region consuming results of a restarting region, transitively.
 */
export class RestartPipelinedRegionFailoverStrategy implements FailoverStrategy {
  constructor(
    private readonly topology: PipelinedRegionTopology,
    private readonly isPartitionAvailable: ResultPartitionAvailabilityChecker,
  ) {}

  getTasksNeedingRestart(failed: ExecutionVertex): Set<ExecutionVertex> {
    const visited = new Set<SchedulingPipelinedRegion>();
    const visitedConsumedGroups = new Set<ConsumedPartitionGroup>();
    const visitedProducedResults = new Set<string>();
    const queue: SchedulingPipelinedRegion[] = [this.topology.getRegionOfVertex(failed)];
    visited.add(queue[0] as SchedulingPipelinedRegion);
    const enqueue = (region: SchedulingPipelinedRegion) => {
      if (visited.has(region)) return;
      visited.add(region);
      queue.push(region);
    };
    while (queue.length > 0) {
      const region = queue.shift();
      if (region === undefined) break;
      for (const group of region.blockingConsumedPartitionGroups) {
        if (visitedConsumedGroups.has(group)) continue;
        visitedConsumedGroups.add(group);
        for (const partitionId of group.getPartitionIds()) {
          if (this.isPartitionAvailable(partitionId)) continue;
          const partition = this.topology.getGraph().getResultPartition(partitionId);
          if (partition !== undefined) enqueue(this.topology.getRegionOfVertex(partition.getProducer()));
        }
      }
      for (const vertex of region.vertices) {
        for (const partition of vertex.getProducedPartitions()) {
          const consumers = partition.getConsumerVertexGroup();
          if (consumers === undefined) continue;
          // An ALL_TO_ALL consumer group is shared by all partitions: walk it once.
          const key = `${partition.getIntermediateResult().getId()}:${consumers.subtaskIndices[0] ?? 0}:${consumers.subtaskIndices.length}`;
          if (visitedProducedResults.has(key)) continue;
          visitedProducedResults.add(key);
          for (const consumer of consumers.getVertices()) enqueue(this.topology.getRegionOfVertex(consumer));
        }
      }
    }
    const vertices = new Set<ExecutionVertex>();
    for (const region of visited) for (const vertex of region.vertices) vertices.add(vertex);
    return vertices;
  }
}

export function createFailoverStrategy(
  configuration: Configuration,
  topology: PipelinedRegionTopology,
  isPartitionAvailable: ResultPartitionAvailabilityChecker,
): FailoverStrategy {
  return configuration.get(FAILOVER_STRATEGY) === 'full'
    ? new RestartAllFailoverStrategy(topology)
    : new RestartPipelinedRegionFailoverStrategy(topology, isPartitionAvailable);
}
