import { describe, expect, it } from 'vitest';

import { IllegalArgumentError } from '../core/errors.js';
import { IntermediateDataSetID, JobID, JobVertexID } from '../core/ids.js';
import { ResourceProfile } from '../core/resource-profile.js';
import { AbstractInvokable } from '../execution/invokable.js';
import { CheckpointCoordinatorConfiguration, JobCheckpointingSettings } from './checkpointing-settings.js';
import {
  DistributionPattern,
  JobType,
  MAX_PARALLELISM_DEFAULT,
  PARALLELISM_DEFAULT,
  ResultPartitionType,
} from './enums.js';
import { JobGraph } from './job-graph.js';
import { DEFAULT_SLOT_SHARING_GROUP, JobVertex, defaultPartitioner, invokableNameOf } from './job-vertex.js';

class Noop extends AbstractInvokable {
  invoke(): Promise<void> {
    return Promise.resolve();
  }
}

class Named extends AbstractInvokable {
  static readonly invokableName = 'test.named';
  invoke(): Promise<void> {
    return Promise.resolve();
  }
}

function vertex(name: string, parallelism = 1): JobVertex {
  const v = new JobVertex(name);
  v.setParallelism(parallelism);
  v.setInvokableClass(Noop);
  return v;
}

describe('JobGraph', () => {
  it('is built as the seed builds it', () => {
    const jobGraph = new JobGraph('MyFlinkJob');
    const source = new JobVertex('Source');
    source.setParallelism(4);
    source.setInvokableClass(Noop);
    const map = new JobVertex('Map');
    map.setParallelism(4);
    map.setInvokableClass(Noop);
    const edge = map.connectNewDataSetAsInput(
      source,
      DistributionPattern.ALL_TO_ALL,
      ResultPartitionType.PIPELINED,
    );
    jobGraph.addVertex(source);
    jobGraph.addVertex(map);

    expect(jobGraph.getName()).toBe('MyFlinkJob');
    expect(JobID.isValid(jobGraph.getJobID())).toBe(true);
    expect(jobGraph.getJobType()).toBe(JobType.STREAMING);
    expect(jobGraph.getNumberOfVertices()).toBe(2);
    expect(jobGraph.getVerticesAsArray()).toEqual([source, map]);
    expect([...jobGraph.getVertices()]).toEqual([source, map]);
    expect(jobGraph.findVertexByID(map.getID())).toBe(map);
    expect(jobGraph.findVertexByID(JobVertexID.generate())).toBeUndefined();
    expect(jobGraph.isCheckpointingEnabled()).toBe(false);
    expect(jobGraph.toString()).toBe(`JobGraph(jobId: ${jobGraph.getJobID()}, name: MyFlinkJob)`);

    const dataSet = edge.getSource();
    expect(source.getProducedDataSets()).toEqual([dataSet]);
    expect(dataSet.getProducer()).toBe(source);
    expect(dataSet.getResultType()).toBe(ResultPartitionType.PIPELINED);
    expect(dataSet.getConsumers()).toEqual([edge]);
    expect(edge.getTarget()).toBe(map);
    expect(edge.getDistributionPattern()).toBe(DistributionPattern.ALL_TO_ALL);
    expect(edge.getPartitioner()).toEqual({ type: 'rebalance' });
    expect(edge.getShipStrategyName()).toBe('REBALANCE');
    expect(map.getInputs()).toEqual([edge]);
    expect(source.isInputVertex()).toBe(true);
    expect(source.isOutputVertex()).toBe(false);
    expect(map.isInputVertex()).toBe(false);
    expect(map.isOutputVertex()).toBe(true);
  });

  it('takes a given job ID, normalising its case', () => {
    // IDs from outside (REST, storage) arrive as plain strings and are checked here.
    const hex = 'ABCDEF0123456789ABCDEF0123456789' as JobID;
    expect(new JobGraph(hex, 'job').getJobID()).toBe(hex.toLowerCase());
    expect(JobID.isValid(new JobGraph(undefined, 'job').getJobID())).toBe(true);
    expect(() => new JobGraph('not-hex' as JobID, 'job')).toThrow(IllegalArgumentError);
  });

  it('refuses a second vertex with the same ID but accepts the same vertex again', () => {
    const jobGraph = new JobGraph('job');
    const id = JobVertexID.generate();
    const first = new JobVertex('a', id);
    jobGraph.addVertex(first);
    jobGraph.addVertex(first);
    expect(jobGraph.getNumberOfVertices()).toBe(1);
    expect(() => {
      jobGraph.addVertex(new JobVertex('b', id));
    }).toThrow(`The job graph already contains a vertex with ID ${id}.`);
  });

  it('sorts vertices topologically, producers first, whatever the order they were added in', () => {
    const jobGraph = new JobGraph('diamond');
    const a = vertex('a');
    const b = vertex('b');
    const c = vertex('c');
    const d = vertex('d');
    b.connectNewDataSetAsInput(a, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
    c.connectNewDataSetAsInput(a, DistributionPattern.POINTWISE, ResultPartitionType.BLOCKING);
    d.connectNewDataSetAsInput(b, DistributionPattern.ALL_TO_ALL, ResultPartitionType.PIPELINED);
    d.connectNewDataSetAsInput(c, DistributionPattern.ALL_TO_ALL, ResultPartitionType.PIPELINED);
    for (const v of [d, c, b, a]) jobGraph.addVertex(v);

    const sorted = jobGraph.getVerticesSortedTopologicallyFromSources();
    expect(sorted).toHaveLength(4);
    const position = (v: JobVertex) => sorted.indexOf(v);
    expect(position(a)).toBe(0);
    expect(position(b)).toBeLessThan(position(d));
    expect(position(c)).toBeLessThan(position(d));
    expect(position(d)).toBe(3);
  });

  it('holds its type, configuration and checkpointing settings', () => {
    const jobGraph = new JobGraph('job');
    jobGraph.setJobType(JobType.BATCH);
    expect(jobGraph.getJobType()).toBe(JobType.BATCH);
    jobGraph.getJobConfiguration().setString('k', 'v');
    expect(jobGraph.getJobConfiguration().getString('k')).toBe('v');

    const v = vertex('v');
    jobGraph.addVertex(v);
    const settings = (interval: number) =>
      new JobCheckpointingSettings(
        [v.getID()],
        [v.getID()],
        [v.getID()],
        new CheckpointCoordinatorConfiguration.Builder().setCheckpointInterval(interval).build(),
      );
    jobGraph.setSnapshotSettings(settings(5000));
    expect(jobGraph.isCheckpointingEnabled()).toBe(true);
    expect(
      jobGraph.getCheckpointingSettings()?.getCheckpointCoordinatorConfiguration().getCheckpointInterval(),
    ).toBe(5000);
    jobGraph.setSnapshotSettings(settings(Number.MAX_SAFE_INTEGER));
    expect(jobGraph.isCheckpointingEnabled()).toBe(false);
    jobGraph.setSnapshotSettings(undefined);
    expect(jobGraph.getCheckpointingSettings()).toBeUndefined();
  });
});

describe('JobVertex', () => {
  it('has Flink defaults', () => {
    const v = new JobVertex('v');
    expect(JobVertexID.isValid(v.getID())).toBe(true);
    expect(v.getId()).toBe(v.getID());
    expect(v.getParallelism()).toBe(PARALLELISM_DEFAULT);
    expect(v.getMaxParallelism()).toBe(MAX_PARALLELISM_DEFAULT);
    expect(v.getInvokableClass()).toBeUndefined();
    expect(v.getInvokableClassName()).toBeUndefined();
    expect(v.getSlotSharingGroup()).toBe(DEFAULT_SLOT_SHARING_GROUP);
    expect(v.getMinResources()).toBe(ResourceProfile.ANY);
    expect(v.getConfiguration().keySet()).toEqual([]);
    expect(v.toString()).toBe(`v (${v.getID()})`);
  });

  it('validates parallelism and max parallelism, naming the vertex', () => {
    const v = new JobVertex('Mapper');
    v.setParallelism(PARALLELISM_DEFAULT);
    v.setParallelism(7);
    expect(v.getParallelism()).toBe(7);
    for (const bad of [0, -2, 1.5])
      expect(() => {
        v.setParallelism(bad);
      }).toThrow(`The parallelism of 'Mapper' must be at least 1, got ${bad}.`);
    v.setMaxParallelism(1);
    v.setMaxParallelism(32_768);
    v.setMaxParallelism(MAX_PARALLELISM_DEFAULT);
    for (const bad of [0, 32_769, 2.5, -3])
      expect(() => {
        v.setMaxParallelism(bad);
      }).toThrow(`The max parallelism of 'Mapper' must be between 1 and 32768, got ${bad}.`);
    expect(v.getParallelism()).toBe(7);
    expect(v.getMaxParallelism()).toBe(MAX_PARALLELISM_DEFAULT);
  });

  it('names its invokable by a static invokableName, else the class name', () => {
    expect(invokableNameOf(Noop)).toBe('Noop');
    expect(invokableNameOf(Named)).toBe('test.named');
    const v = new JobVertex('v');
    v.setInvokableClass(Named);
    expect(v.getInvokableClass()).toBe(Named);
    expect(v.getInvokableClassName()).toBe('test.named');
    v.setInvokableClassName('eddy.forward');
    expect(v.getInvokableClass()).toBeUndefined();
    expect(v.getInvokableClassName()).toBe('eddy.forward');
  });

  it('defaults the partitioner to forward for POINTWISE and rebalance for ALL_TO_ALL', () => {
    expect(defaultPartitioner(DistributionPattern.POINTWISE)).toEqual({ type: 'forward' });
    expect(defaultPartitioner(DistributionPattern.ALL_TO_ALL)).toEqual({ type: 'rebalance' });
    const a = vertex('a');
    const b = vertex('b');
    const edge = b.connectNewDataSetAsInput(a, DistributionPattern.POINTWISE, ResultPartitionType.BLOCKING);
    expect(edge.getPartitioner()).toEqual({ type: 'forward' });
    expect(edge.getShipStrategyName()).toBe('FORWARD');
    const hashed = b.connectNewDataSetAsInput(
      a,
      DistributionPattern.ALL_TO_ALL,
      ResultPartitionType.PIPELINED,
      {
        type: 'hash',
        keyField: 0,
      },
    );
    expect(hashed.getShipStrategyName()).toBe('HASH');
  });

  it('uses a given data set ID and keeps produced data sets in order', () => {
    const a = vertex('a');
    const b = vertex('b');
    const c = vertex('c');
    const id = IntermediateDataSetID.generate();
    const first = b.connectNewDataSetAsInput(
      a,
      DistributionPattern.POINTWISE,
      ResultPartitionType.PIPELINED,
      undefined,
      id,
    );
    const second = c.connectNewDataSetAsInput(a, DistributionPattern.POINTWISE, ResultPartitionType.BLOCKING);
    expect(first.getSource().getId()).toBe(id);
    expect(a.getProducedDataSets().map((ds) => ds.getId())).toEqual([id, second.getSource().getId()]);
  });

  it('lets a data set have one consumer only', () => {
    const a = vertex('a');
    const b = vertex('b');
    const c = vertex('c');
    const edge = b.connectNewDataSetAsInput(a, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED);
    expect(() => c.connectDataSetAsInput(edge.getSource(), DistributionPattern.POINTWISE)).toThrow(
      IllegalArgumentError,
    );
    expect(c.getInputs()).toEqual([]);
  });
});
