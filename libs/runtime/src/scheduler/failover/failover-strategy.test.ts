import { describe, expect, it } from 'vitest';

import { Configuration } from '../../core/configuration.js';
import type { IntermediateResultPartitionID } from '../../core/ids.js';
import { DistributionPattern, ResultPartitionType } from '../../jobgraph/enums.js';
import { PipelinedRegionTopology } from '../strategy/pipelined-regions.js';
import { testTopology } from '../strategy/testing-graphs.js';
import type { TestEdge, TestTopology } from '../strategy/testing-graphs.js';
import {
  FAILOVER_STRATEGY,
  RestartAllFailoverStrategy,
  RestartPipelinedRegionFailoverStrategy,
  createFailoverStrategy,
} from './failover-strategy.js';
import type { FailoverStrategy } from './failover-strategy.js';

const { ALL_TO_ALL, POINTWISE } = DistributionPattern;
const { PIPELINED, BLOCKING } = ResultPartitionType;
const CAUSE = new Error('task failed');

/** a(2) →pipelined→ b(2) →BLOCKING→ c(2) →pointwise pipelined→ d(2): regions {a,b}, {c0,d0}, {c1,d1}. */
const BATCH_EDGES: readonly TestEdge[] = [
  ['a', 'b', ALL_TO_ALL, PIPELINED],
  ['b', 'c', ALL_TO_ALL, BLOCKING],
  ['c', 'd', POINTWISE, PIPELINED],
];

/** The names of the vertices restarted when `failed` fails, with the given partitions lost. */
function restartedOnFailure(topology: TestTopology, failed: string, lost: readonly string[] = []): string[] {
  const lostIds = new Set<IntermediateResultPartitionID>(
    lost.map((name) => {
      const partition = topology.vertex(name).getProducedPartitions()[0];
      if (partition === undefined) throw new Error(`${name} produces nothing`);
      return partition.getPartitionId();
    }),
  );
  const strategy: FailoverStrategy = new RestartPipelinedRegionFailoverStrategy(
    new PipelinedRegionTopology(topology.graph),
    (partitionId) => !lostIds.has(partitionId),
  );
  return topology.names(strategy.getTasksNeedingRestart(topology.vertex(failed), CAUSE));
}

describe('RestartPipelinedRegionFailoverStrategy', () => {
  it('restarts only the failed consumer region when its finished BLOCKING input is still available', () => {
    const topology = testTopology({ a: 2, b: 2, c: 2, d: 2 }, BATCH_EDGES);
    expect(restartedOnFailure(topology, 'c0')).toEqual(['c0', 'd0']);
    expect(restartedOnFailure(topology, 'd1')).toEqual(['c1', 'd1']);
  });

  it('restarts a failed producer region and every region consuming from it', () => {
    const topology = testTopology({ a: 2, b: 2, c: 2, d: 2 }, BATCH_EDGES);
    expect(restartedOnFailure(topology, 'a1')).toEqual(['a0', 'a1', 'b0', 'b1', 'c0', 'c1', 'd0', 'd1']);
  });

  it('restarts consumer regions transitively', () => {
    const topology = testTopology({ a: 1, b: 1, c: 1, x: 1 }, [
      ['a', 'b', POINTWISE, BLOCKING],
      ['b', 'c', POINTWISE, BLOCKING],
    ]);
    expect(restartedOnFailure(topology, 'a0')).toEqual(['a0', 'b0', 'c0']);
    expect(restartedOnFailure(topology, 'b0')).toEqual(['b0', 'c0']);
    expect(restartedOnFailure(topology, 'x0')).toEqual(['x0']);
  });

  it('also restarts the producer region of an unavailable BLOCKING input', () => {
    const topology = testTopology({ a: 2, c: 2 }, [['a', 'c', POINTWISE, BLOCKING]]);
    expect(restartedOnFailure(topology, 'c0')).toEqual(['c0']);
    expect(restartedOnFailure(topology, 'c0', ['a0'])).toEqual(['a0', 'c0']);
    // Losing a partition the failed region does not read restarts nothing more.
    expect(restartedOnFailure(topology, 'c0', ['a1'])).toEqual(['c0']);
  });

  it('restarts only the producers of the lost partitions of an ALL_TO_ALL input, and their consumers', () => {
    const topology = testTopology({ b: 3, c: 2 }, [['b', 'c', ALL_TO_ALL, BLOCKING]]);
    expect(restartedOnFailure(topology, 'c1', ['b2'])).toEqual(['b2', 'c0', 'c1']);
    expect(restartedOnFailure(topology, 'c1', ['b0', 'b2'])).toEqual(['b0', 'b2', 'c0', 'c1']);
  });

  it('restarts everything of a streaming job, which is one region', () => {
    const topology = testTopology({ a: 2, b: 3 }, [['a', 'b', ALL_TO_ALL, PIPELINED]]);
    expect(restartedOnFailure(topology, 'b2')).toEqual(['a0', 'a1', 'b0', 'b1', 'b2']);
  });

  it('restarts a POINTWISE pipelined 2 → 2 job one region at a time', () => {
    const topology = testTopology({ a: 2, b: 2 }, [['a', 'b', POINTWISE, PIPELINED]]);
    expect(restartedOnFailure(topology, 'a1')).toEqual(['a1', 'b1']);
    expect(restartedOnFailure(topology, 'b0')).toEqual(['a0', 'b0']);
  });
});

describe('RestartAllFailoverStrategy', () => {
  it('restarts every vertex, whatever failed', () => {
    const topology = testTopology({ a: 2, b: 2, c: 2, d: 2 }, BATCH_EDGES);
    const strategy = new RestartAllFailoverStrategy(new PipelinedRegionTopology(topology.graph));
    const all = topology.names(topology.graph.getAllExecutionVertices());
    expect(all).toHaveLength(8);
    expect(topology.names(strategy.getTasksNeedingRestart())).toEqual(all);
  });
});

describe('createFailoverStrategy', () => {
  it('chooses region failover by default and full restarts with `full`', () => {
    const topology = testTopology({ a: 1 }, []);
    const regions = new PipelinedRegionTopology(topology.graph);
    const available = () => true;
    expect(FAILOVER_STRATEGY.key).toBe('jobmanager.execution.failover-strategy');
    expect(FAILOVER_STRATEGY.defaultValue).toBe('region');
    expect(createFailoverStrategy(new Configuration(), regions, available)).toBeInstanceOf(
      RestartPipelinedRegionFailoverStrategy,
    );
    expect(
      createFailoverStrategy(
        Configuration.fromMap({ 'jobmanager.execution.failover-strategy': 'full' }),
        regions,
        available,
      ),
    ).toBeInstanceOf(RestartAllFailoverStrategy);
    expect(() =>
      createFailoverStrategy(
        Configuration.fromMap({ 'jobmanager.execution.failover-strategy': 'some' }),
        regions,
        available,
      ),
    ).toThrow("Configuration 'jobmanager.execution.failover-strategy' has the value 'some'");
  });
});
