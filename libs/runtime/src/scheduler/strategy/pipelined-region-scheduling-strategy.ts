import { ExecutionState } from '../../execution/execution-state.js';
import type { ExecutionVertex } from '../../executiongraph/execution-vertex.js';
import { isBlockingResult } from '../../jobgraph/enums.js';
import type { PipelinedRegionTopology, SchedulingPipelinedRegion } from './pipelined-regions.js';

/** What a scheduling strategy asks of its scheduler. */
export interface SchedulerOperations {
  /** Allocates slots for these vertices (all CREATED) and deploys them, as one unit. */
  allocateSlotsAndDeploy(vertices: readonly ExecutionVertex[]): void;
}

/**
 * Schedules by pipelined region (Flink's PipelinedRegionSchedulingStrategy): a region is deployed,
 * whole, once all its BLOCKING inputs are finished. At start that is every region without blocking
 * inputs; later a region becomes ready when the last producer of its blocking inputs finishes, so
 * batch jobs run stage by stage while streaming jobs (one region) start at once.
 */
export class PipelinedRegionSchedulingStrategy {
  constructor(
    private readonly operations: SchedulerOperations,
    private readonly topology: PipelinedRegionTopology,
  ) {}

  startScheduling(): void {
    this.maybeScheduleRegions(this.topology.getAllRegions());
  }

  /** Vertices were reset for a new attempt: deploy their regions when their inputs allow. */
  restartTasks(vertices: Iterable<ExecutionVertex>): void {
    const regions = new Set<SchedulingPipelinedRegion>();
    for (const vertex of vertices) regions.add(this.topology.getRegionOfVertex(vertex));
    this.maybeScheduleRegions([...regions].sort((a, b) => a.index - b.index));
  }

  /** A vertex finished: consumers of the blocking partitions it completed may become ready. */
  onExecutionFinished(vertex: ExecutionVertex): void {
    const ready = new Set<SchedulingPipelinedRegion>();
    for (const partition of vertex.getProducedPartitions()) {
      const completedGroups = partition.markFinished();
      if (!isBlockingResult(partition.getResultType()) || completedGroups.length === 0) continue;
      for (const consumer of partition.getConsumerVertexGroup()?.getVertices() ?? []) {
        ready.add(this.topology.getRegionOfVertex(consumer));
      }
    }
    if (ready.size > 0) this.maybeScheduleRegions([...ready].sort((a, b) => a.index - b.index));
  }

  private maybeScheduleRegions(regions: Iterable<SchedulingPipelinedRegion>): void {
    for (const region of regions) {
      if (!region.areAllBlockingInputsFinished()) continue;
      const toDeploy = region.vertices.filter((v) => v.getExecutionState() === ExecutionState.CREATED);
      if (toDeploy.length === region.vertices.length) this.operations.allocateSlotsAndDeploy(toDeploy);
    }
  }
}
