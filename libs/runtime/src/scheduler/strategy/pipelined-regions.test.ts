import { describe, expect, it } from 'vitest';

import type { ExecutionVertex } from '../../executiongraph/execution-vertex.js';
import { DistributionPattern, ResultPartitionType } from '../../jobgraph/enums.js';
import { PipelinedRegionSchedulingStrategy } from './pipelined-region-scheduling-strategy.js';
import { PipelinedRegionTopology } from './pipelined-regions.js';
import type { SchedulingPipelinedRegion } from './pipelined-regions.js';
import { testTopology } from './testing-graphs.js';
import type { TestTopology } from './testing-graphs.js';

const { ALL_TO_ALL, POINTWISE } = DistributionPattern;
const { PIPELINED, PIPELINED_BOUNDED, BLOCKING } = ResultPartitionType;

/** Every region as the sorted names of its subtasks, regions sorted too. */
function regionsOf(topology: TestTopology): string[][] {
  const regions = new PipelinedRegionTopology(topology.graph).getAllRegions();
  return regions
    .map((region) => topology.names(region.vertices))
    .sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

/** Records what a scheduling strategy deploys and lets a test drive executions. */
class RecordingOperations {
  readonly deployed: ExecutionVertex[][] = [];
  allocateSlotsAndDeploy(vertices: readonly ExecutionVertex[]): void {
    this.deployed.push([...vertices]);
    for (const vertex of vertices) vertex.getCurrentExecutionAttempt().transitionState('SCHEDULED');
  }
}

function finish(vertex: ExecutionVertex): void {
  for (const state of ['DEPLOYING', 'INITIALIZING', 'RUNNING', 'FINISHED'] as const)
    vertex.getCurrentExecutionAttempt().transitionState(state);
}

describe('PipelinedRegionTopology', () => {
  it('makes a streaming job (all pipelined) one region', () => {
    const topology = testTopology({ a: 4, b: 4, c: 2, d: 2 }, [
      ['a', 'b', ALL_TO_ALL, PIPELINED],
      ['b', 'c', ALL_TO_ALL, PIPELINED_BOUNDED],
      ['c', 'd', POINTWISE, PIPELINED],
    ]);
    const regions = new PipelinedRegionTopology(topology.graph).getAllRegions();
    expect(regions).toHaveLength(1);
    expect(regions[0]?.vertices).toHaveLength(12);
    expect(regions[0]?.blockingConsumedPartitionGroups).toEqual([]);
    expect(regions[0]?.areAllBlockingInputsFinished()).toBe(true);
  });

  it('separates regions at a BLOCKING edge', () => {
    const topology = testTopology({ a: 2, b: 2, c: 2, d: 2 }, [
      ['a', 'b', ALL_TO_ALL, PIPELINED],
      ['b', 'c', ALL_TO_ALL, BLOCKING],
      ['c', 'd', ALL_TO_ALL, PIPELINED],
    ]);
    expect(regionsOf(topology)).toEqual([
      ['a0', 'a1', 'b0', 'b1'],
      ['c0', 'c1', 'd0', 'd1'],
    ]);
    const regionTopology = new PipelinedRegionTopology(topology.graph);
    const upstream = regionTopology.getRegionOfVertex(topology.vertex('a0'));
    const downstream = regionTopology.getRegionOfVertex(topology.vertex('d1'));
    expect(upstream.blockingConsumedPartitionGroups).toEqual([]);
    expect(downstream.blockingConsumedPartitionGroups).toEqual(
      topology.vertex('c0').getConsumedPartitionGroups(),
    );
  });

  it('gives a POINTWISE pipelined 2 → 2 edge two regions', () => {
    const topology = testTopology({ a: 2, b: 2 }, [['a', 'b', POINTWISE, PIPELINED]]);
    expect(regionsOf(topology)).toEqual([
      ['a0', 'b0'],
      ['a1', 'b1'],
    ]);
  });

  it('joins POINTWISE 4 → 2 subtasks by the partitions they read', () => {
    const topology = testTopology({ a: 4, b: 2 }, [['a', 'b', POINTWISE, PIPELINED]]);
    expect(regionsOf(topology)).toEqual([
      ['a0', 'a1', 'b0'],
      ['a2', 'a3', 'b1'],
    ]);
  });

  it('leaves unconnected subtasks of a BLOCKING producer in regions of their own', () => {
    const topology = testTopology({ a: 2, b: 3 }, [['a', 'b', ALL_TO_ALL, BLOCKING]]);
    expect(regionsOf(topology)).toEqual([['a0'], ['a1'], ['b0'], ['b1'], ['b2']]);
  });

  it('merges logical regions that depend on each other in a cycle of BLOCKING edges', () => {
    // a → c is pipelined, so {a, c} is one logical region; a → b → c through BLOCKING edges
    // makes {a, c} and {b} wait on each other, so they must become one region.
    const topology = testTopology({ a: 2, b: 2, c: 2 }, [
      ['a', 'b', ALL_TO_ALL, BLOCKING],
      ['b', 'c', ALL_TO_ALL, BLOCKING],
      ['a', 'c', ALL_TO_ALL, PIPELINED],
    ]);
    expect(regionsOf(topology)).toEqual([['a0', 'a1', 'b0', 'b1', 'c0', 'c1']]);
  });

  it('does not merge regions that a BLOCKING edge only connects one way', () => {
    const topology = testTopology({ a: 1, b: 1, c: 1, d: 1 }, [
      ['a', 'b', ALL_TO_ALL, PIPELINED],
      ['b', 'c', ALL_TO_ALL, BLOCKING],
      ['a', 'd', ALL_TO_ALL, BLOCKING],
      ['d', 'c', ALL_TO_ALL, PIPELINED],
    ]);
    expect(regionsOf(topology)).toEqual([
      ['a0', 'b0'],
      ['c0', 'd0'],
    ]);
  });

  it('numbers regions by position and finds the region of each vertex', () => {
    const topology = testTopology({ a: 3, b: 3 }, [['a', 'b', POINTWISE, PIPELINED]]);
    const regionTopology = new PipelinedRegionTopology(topology.graph);
    const regions = regionTopology.getAllRegions();
    regions.forEach((region, index) => {
      expect(region.index).toBe(index);
      for (const vertex of region.vertices) expect(regionTopology.getRegionOfVertex(vertex)).toBe(region);
    });
    expect(regionTopology.getGraph()).toBe(topology.graph);
    const other = testTopology({ z: 1 }, []);
    expect(() => regionTopology.getRegionOfVertex(other.vertex('z0'))).toThrow(RangeError);
  });
});

describe('PipelinedRegionSchedulingStrategy', () => {
  function deployedNames(topology: TestTopology, operations: RecordingOperations): string[][] {
    return operations.deployed.map((vertices) => topology.names(vertices));
  }

  it('deploys a streaming job at once, whole', () => {
    const topology = testTopology({ a: 2, b: 2 }, [['a', 'b', ALL_TO_ALL, PIPELINED]]);
    const operations = new RecordingOperations();
    new PipelinedRegionSchedulingStrategy(
      operations,
      new PipelinedRegionTopology(topology.graph),
    ).startScheduling();
    expect(deployedNames(topology, operations)).toEqual([['a0', 'a1', 'b0', 'b1']]);
  });

  it('deploys a consumer region once all its BLOCKING inputs finished', () => {
    const topology = testTopology({ a: 2, b: 1 }, [['a', 'b', ALL_TO_ALL, BLOCKING]]);
    const operations = new RecordingOperations();
    const strategy = new PipelinedRegionSchedulingStrategy(
      operations,
      new PipelinedRegionTopology(topology.graph),
    );
    strategy.startScheduling();
    expect(deployedNames(topology, operations)).toEqual([['a0'], ['a1']]);
    finish(topology.vertex('a0'));
    strategy.onExecutionFinished(topology.vertex('a0'));
    expect(operations.deployed).toHaveLength(2);
    finish(topology.vertex('a1'));
    strategy.onExecutionFinished(topology.vertex('a1'));
    expect(deployedNames(topology, operations)).toEqual([['a0'], ['a1'], ['b0']]);
  });

  it('deploys a region merged on a BLOCKING cycle: it never waits on its own partitions', () => {
    const topology = testTopology({ a: 2, b: 2, c: 2 }, [
      ['a', 'b', ALL_TO_ALL, BLOCKING],
      ['b', 'c', ALL_TO_ALL, BLOCKING],
      ['a', 'c', ALL_TO_ALL, PIPELINED],
    ]);
    const regionTopology = new PipelinedRegionTopology(topology.graph);
    const [region] = regionTopology.getAllRegions() as [SchedulingPipelinedRegion];
    expect(region.blockingConsumedPartitionGroups).toEqual([]);
    const operations = new RecordingOperations();
    new PipelinedRegionSchedulingStrategy(operations, regionTopology).startScheduling();
    expect(deployedNames(topology, operations)).toEqual([['a0', 'a1', 'b0', 'b1', 'c0', 'c1']]);
  });

  it('deploys a logical region with a BLOCKING edge inside at once, as one region', () => {
    const topology = testTopology({ a: 2, b: 2 }, [
      ['a', 'b', POINTWISE, PIPELINED],
      ['a', 'b', ALL_TO_ALL, BLOCKING],
    ]);
    expect(regionsOf(topology)).toEqual([['a0', 'a1', 'b0', 'b1']]);
    const operations = new RecordingOperations();
    new PipelinedRegionSchedulingStrategy(
      operations,
      new PipelinedRegionTopology(topology.graph),
    ).startScheduling();
    expect(deployedNames(topology, operations)).toEqual([['a0', 'a1', 'b0', 'b1']]);
  });

  it('redeploys restarted vertices whose region is all CREATED again', () => {
    const topology = testTopology({ a: 1, b: 1 }, [['a', 'b', POINTWISE, PIPELINED]]);
    const operations = new RecordingOperations();
    const strategy = new PipelinedRegionSchedulingStrategy(
      operations,
      new PipelinedRegionTopology(topology.graph),
    );
    strategy.startScheduling();
    for (const name of ['a0', 'b0']) {
      topology.vertex(name).getCurrentExecutionAttempt().transitionState('CANCELED');
      topology.vertex(name).resetForNewExecution();
    }
    strategy.restartTasks([topology.vertex('a0'), topology.vertex('b0')]);
    expect(deployedNames(topology, operations)).toEqual([
      ['a0', 'b0'],
      ['a0', 'b0'],
    ]);
  });
});
