import { describe, expect, it } from 'vitest';

import { IntermediateDataSetID, JobID, JobVertexID } from '../core/ids.js';
import { MemorySize } from '../core/memory-size.js';
import { ResourceProfile } from '../core/resource-profile.js';
import {
  CheckpointCoordinatorConfiguration,
  CheckpointRetentionPolicy,
  JobCheckpointingSettings,
} from './checkpointing-settings.js';
import { DistributionPattern, JobType, ResultPartitionType } from './enums.js';
import { JobGraph } from './job-graph.js';
import { jobGraphFromJson, jobGraphToJson } from './job-graph-json.js';
import type { JobGraphJson } from './job-graph-json.js';
import { InvalidJobGraphError } from './job-graph-validator.js';
import { JobVertex } from './job-vertex.js';

function named(name: string, invokable: string, parallelism: number): JobVertex {
  const v = new JobVertex(name);
  v.setInvokableClassName(invokable);
  v.setParallelism(parallelism);
  return v;
}

/** A graph that uses every feature the JSON form carries. */
function richGraph(): JobGraph {
  const jobGraph = new JobGraph('rich job');
  jobGraph.setJobType(JobType.BATCH);
  jobGraph.getJobConfiguration().setString('parallelism.default', '3').setValue('pipeline.flag', true);

  const source = named('source', 'eddy.sequence-source', 4);
  source.setMaxParallelism(64);
  source.getConfiguration().setString('count', '1000');
  source.setResources(
    ResourceProfile.fromResources(
      0.5,
      MemorySize.ofMebiBytes(256),
      MemorySize.ZERO,
      MemorySize.ofMebiBytes(128),
    ),
  );
  const tokenizer = named('tokenizer', 'eddy.tokenizer', 2);
  tokenizer.setSlotSharingGroup('tokenizers');
  const counter = named('counter', 'eddy.sum-by-key', -1);
  const sink = named('sink', 'eddy.collect-sink', 1);
  const side = named('side', 'eddy.discard-sink', 2);

  tokenizer.connectNewDataSetAsInput(source, DistributionPattern.POINTWISE, ResultPartitionType.PIPELINED, {
    type: 'rescale',
  });
  counter.connectNewDataSetAsInput(tokenizer, DistributionPattern.ALL_TO_ALL, ResultPartitionType.BLOCKING, {
    type: 'hash',
    keyField: 0,
  });
  sink.connectNewDataSetAsInput(
    counter,
    DistributionPattern.ALL_TO_ALL,
    ResultPartitionType.PIPELINED_BOUNDED,
    {
      type: 'broadcast',
    },
  );
  // A second output of the source, consumed by a vertex with two inputs.
  side.connectNewDataSetAsInput(source, DistributionPattern.POINTWISE, ResultPartitionType.BLOCKING);
  side.connectNewDataSetAsInput(tokenizer, DistributionPattern.ALL_TO_ALL, ResultPartitionType.PIPELINED, {
    type: 'hash',
    keyField: 'word',
  });
  for (const v of [source, tokenizer, counter, sink, side]) jobGraph.addVertex(v);

  const ids = [source.getID(), sink.getID()];
  jobGraph.setSnapshotSettings(
    new JobCheckpointingSettings(
      [source.getID()],
      ids,
      ids,
      CheckpointCoordinatorConfiguration.builder()
        .setCheckpointInterval(5000)
        .setCheckpointTimeout(60_000)
        .setMinPauseBetweenCheckpoints(100)
        .setMaxConcurrentCheckpoints(2)
        .setCheckpointRetentionPolicy(CheckpointRetentionPolicy.RETAIN_ON_CANCELLATION)
        .setExactlyOnce(false)
        .setUnalignedCheckpointsEnabled(true)
        .setTolerableCheckpointFailureNumber(3)
        .build(),
      'hashmap',
    ),
  );
  return jobGraph;
}

function problemsOf(input: unknown): string[] {
  try {
    jobGraphFromJson(input);
  } catch (error) {
    if (error instanceof InvalidJobGraphError) return [...error.problems];
    throw error;
  }
  return [];
}

function minimal(overrides: Partial<JobGraphJson> = {}): Record<string, unknown> {
  return {
    name: 'job',
    vertices: [
      { name: 'src', invokable: 'eddy.sequence-source', parallelism: 2 },
      {
        name: 'sink',
        invokable: 'eddy.collect-sink',
        inputs: [{ source: 'src', distributionPattern: 'POINTWISE' }],
      },
    ],
    ...overrides,
  };
}

describe('jobGraphToJson / jobGraphFromJson', () => {
  it('round-trips every field exactly', () => {
    const original = richGraph();
    const json = jobGraphToJson(original);
    // Through a JSON string, as REST and the job store carry it.
    const restored = jobGraphFromJson(JSON.parse(JSON.stringify(json)));
    expect(jobGraphToJson(restored)).toEqual(json);

    expect(restored.getJobID()).toBe(original.getJobID());
    expect(restored.getName()).toBe('rich job');
    expect(restored.getJobType()).toBe(JobType.BATCH);
    expect(restored.getJobConfiguration().toMap()).toEqual({
      'parallelism.default': '3',
      'pipeline.flag': 'true',
    });

    const before = original.getVerticesAsArray();
    const after = restored.getVerticesAsArray();
    expect(after.map((v) => v.getID())).toEqual(before.map((v) => v.getID()));
    after.forEach((vertex, i) => {
      const expected = before[i];
      if (expected === undefined) throw new Error('vertex count differs');
      expect(vertex.getName()).toBe(expected.getName());
      expect(vertex.getParallelism()).toBe(expected.getParallelism());
      expect(vertex.getMaxParallelism()).toBe(expected.getMaxParallelism());
      expect(vertex.getInvokableClassName()).toBe(expected.getInvokableClassName());
      expect(vertex.getSlotSharingGroup()).toBe(expected.getSlotSharingGroup());
      expect(vertex.getMinResources().equals(expected.getMinResources())).toBe(true);
      expect(vertex.getConfiguration().toMap()).toEqual(expected.getConfiguration().toMap());
      expect(vertex.getProducedDataSets().map((ds) => [ds.getId(), ds.getResultType()])).toEqual(
        expected.getProducedDataSets().map((ds) => [ds.getId(), ds.getResultType()]),
      );
      expect(
        vertex
          .getInputs()
          .map((e) => [
            e.getSource().getId(),
            e.getSource().getProducer().getID(),
            e.getDistributionPattern(),
            e.getPartitioner(),
          ]),
      ).toEqual(
        expected
          .getInputs()
          .map((e) => [
            e.getSource().getId(),
            e.getSource().getProducer().getID(),
            e.getDistributionPattern(),
            e.getPartitioner(),
          ]),
      );
    });

    // The edges are real objects: each restored data set knows its one consumer.
    const source = after[0];
    expect(source?.getMinResources().getCpuCores()).toBe(0.5);
    expect(source?.getMinResources().getManagedMemory().getMebiBytes()).toBe(128);
    expect(after[1]?.getMinResources()).toBe(ResourceProfile.ANY);
    expect(json.vertices[1]?.resources).toBeUndefined();
    expect(source?.getProducedDataSets().map((ds) => ds.getConsumers()[0]?.getTarget().getName())).toEqual([
      'tokenizer',
      'side',
    ]);

    const settings = restored.getCheckpointingSettings();
    expect(settings?.toJson()).toEqual(original.getCheckpointingSettings()?.toJson());
    expect(settings?.getDefaultStateBackend()).toBe('hashmap');
    const coordinator = settings?.getCheckpointCoordinatorConfiguration();
    expect(coordinator?.getCheckpointInterval()).toBe(5000);
    expect(coordinator?.getCheckpointRetentionPolicy()).toBe('RETAIN_ON_CANCELLATION');
    expect(coordinator?.isUnalignedCheckpointsEnabled()).toBe(true);
    expect(restored.isCheckpointingEnabled()).toBe(true);
  });

  it('writes null checkpointing for a graph without settings, and reads it back as none', () => {
    const jobGraph = new JobGraph('plain');
    jobGraph.addVertex(named('only', 'eddy.forward', 1));
    const json = jobGraphToJson(jobGraph);
    expect(json.checkpointing).toBeNull();
    const restored = jobGraphFromJson(JSON.parse(JSON.stringify(json)));
    expect(restored.getCheckpointingSettings()).toBeUndefined();
    expect(jobGraphToJson(restored)).toEqual(json);
  });

  it('fills in defaults for a hand-written graph and resolves sources by unique name', () => {
    const jobGraph = jobGraphFromJson(minimal());
    expect(JobID.isValid(jobGraph.getJobID())).toBe(true);
    expect(jobGraph.getJobType()).toBe(JobType.STREAMING);
    const [src, sink] = jobGraph.getVerticesAsArray();
    expect(src?.getParallelism()).toBe(2);
    expect(sink?.getParallelism()).toBe(-1);
    expect(sink?.getMaxParallelism()).toBe(-1);
    expect(sink?.getSlotSharingGroup()).toBe('default');
    const edge = sink?.getInputs()[0];
    expect(edge?.getSource().getProducer()).toBe(src);
    expect(edge?.getSource().getResultType()).toBe(ResultPartitionType.PIPELINED);
    expect(edge?.getPartitioner()).toEqual({ type: 'forward' });
    expect(src?.getProducedDataSets()).toHaveLength(1);
  });

  it('resolves a source by ID, and uses a declared data set with its type', () => {
    const srcId = JobVertexID.generate();
    const dataSetId = IntermediateDataSetID.generate();
    const jobGraph = jobGraphFromJson({
      name: 'job',
      vertices: [
        {
          id: srcId.toUpperCase(),
          name: 'src',
          invokable: 'a',
          producedDataSets: [{ id: dataSetId, resultPartitionType: 'BLOCKING' }],
        },
        {
          name: 'sink',
          invokable: 'b',
          inputs: [{ source: srcId, dataSetId, distributionPattern: 'ALL_TO_ALL' }],
        },
      ],
    });
    const [src, sink] = jobGraph.getVerticesAsArray();
    expect(src?.getID()).toBe(srcId);
    expect(sink?.getInputs()[0]?.getSource()).toBe(src?.getProducedDataSets()[0]);
    expect(sink?.getInputs()[0]?.getSource().getResultType()).toBe(ResultPartitionType.BLOCKING);
    expect(sink?.getInputs()[0]?.getPartitioner()).toEqual({ type: 'rebalance' });
  });

  describe('rejects malformed input, naming the path of each problem', () => {
    it('at the top level', () => {
      expect(problemsOf(null)).toEqual(['The job graph must be a JSON object.']);
      expect(problemsOf([])).toEqual(['The job graph must be a JSON object.']);
      expect(problemsOf({ name: '', jid: 'xyz', type: 'MICRO', configuration: [], vertices: {} })).toEqual([
        'name: must be a non-empty string.',
        'jid: must be 32 hexadecimal characters.',
        'type: must be BATCH or STREAMING.',
        'configuration: must be an object of keys to values.',
        'vertices: must be an array of vertices.',
      ]);
      expect(problemsOf(minimal({ configuration: { ok: 1, bad: { nested: true } } as never }))).toEqual([
        'configuration.bad: must be a string, number or boolean.',
      ]);
    });

    it('in vertices', () => {
      const id = JobVertexID.generate();
      expect(
        problemsOf({
          name: 'job',
          vertices: [
            'not a vertex',
            { id, name: 'a', invokable: 'x', parallelism: 0 },
            { id, name: 'dup', invokable: 'x' },
            { id: 'short', name: 'b', invokable: 'x' },
            { name: '', invokable: '', parallelism: 1.5, maxParallelism: 40_000, slotSharingGroup: '' },
            { name: 'c', invokable: 'x', configuration: { k: null }, producedDataSets: {} },
            {
              name: 'd',
              invokable: 'x',
              producedDataSets: [
                { id: 'nope', resultPartitionType: 'PIPELINED' },
                { id, resultPartitionType: 'X' },
              ],
            },
            { name: 'e', invokable: 'x', resources: 'lots' },
            { name: 'f', invokable: 'x', resources: { cpuCores: -1 } },
            { name: 'g', invokable: 'x', resources: { cpuCores: 1, taskHeapMemory: 'big' } },
          ],
        }),
      ).toEqual([
        'vertices[0]: must be an object.',
        'vertices[1].parallelism: must be a whole number >= 1, got 0.',
        `vertices[2].id: duplicates the vertex ID ${id}.`,
        'vertices[3].id: must be 32 hexadecimal characters.',
        'vertices[4].name: must be a non-empty string.',
        'vertices[4].parallelism: must be a whole number >= 1, got 1.5.',
        "vertices[4].maxParallelism: The max parallelism of '' must be between 1 and 32768, got 40000.",
        'vertices[4].invokable: must name a registered invokable.',
        'vertices[4].slotSharingGroup: must be a non-empty string.',
        'vertices[5].configuration.k: must be a string, number or boolean.',
        'vertices[5].producedDataSets: must be an array.',
        'vertices[6].producedDataSets[0].id: must be 32 hexadecimal characters.',
        'vertices[6].producedDataSets[1].resultPartitionType: must be one of PIPELINED, PIPELINED_BOUNDED, BLOCKING, got "X".',
        'vertices[7].resources: must be an object.',
        'vertices[8].resources.cpuCores: must be a number >= 0.',
        'vertices[9].resources.taskHeapMemory: must be a whole number of bytes >= 0.',
      ]);
    });

    it('in inputs', () => {
      const declared = IntermediateDataSetID.generate();
      const problems = problemsOf({
        name: 'job',
        vertices: [
          {
            name: 'a',
            invokable: 'x',
            producedDataSets: [{ id: declared, resultPartitionType: 'BLOCKING' }],
          },
          { name: 'twin', invokable: 'x' },
          { name: 'twin', invokable: 'x' },
          {
            name: 'consumer',
            invokable: 'x',
            inputs: [
              { source: 'missing', distributionPattern: 'POINTWISE' },
              { source: 'twin', distributionPattern: 'POINTWISE' },
              { source: 'a', distributionPattern: 'SOMETIMES' },
              { source: 'a', distributionPattern: 'POINTWISE', resultPartitionType: 'LAZY' },
              { source: 'a', distributionPattern: 'POINTWISE', partitioner: { type: 'random' } },
              { source: 'a', distributionPattern: 'ALL_TO_ALL', partitioner: { type: 'hash', keyField: -1 } },
              { source: 'a', distributionPattern: 'POINTWISE', dataSetId: 'zz' },
              'not an edge',
            ],
          },
          { name: 'other', invokable: 'x', inputs: 'nope' },
          {
            name: 'greedy',
            invokable: 'x',
            inputs: [
              { source: 'twin', distributionPattern: 'POINTWISE', dataSetId: declared },
              {
                source: 'a',
                distributionPattern: 'POINTWISE',
                dataSetId: declared,
                resultPartitionType: 'PIPELINED',
              },
              { source: 'a', distributionPattern: 'POINTWISE', dataSetId: declared },
              { source: 'a', distributionPattern: 'POINTWISE', dataSetId: declared },
            ],
          },
        ],
      });
      expect(problems).toEqual([
        'vertices[3].inputs[0].source: must name a vertex of this graph by id or unique name, got "missing".',
        'vertices[3].inputs[1].source: must name a vertex of this graph by id or unique name, got "twin".',
        'vertices[3].inputs[2].distributionPattern: must be one of ALL_TO_ALL, POINTWISE, got "SOMETIMES".',
        'vertices[3].inputs[3].resultPartitionType: must be one of PIPELINED, PIPELINED_BOUNDED, BLOCKING, got "LAZY".',
        'vertices[3].inputs[4].partitioner.type: must be one of forward, rescale, rebalance, broadcast, hash.',
        'vertices[3].inputs[5].partitioner.keyField: must be a field name or an index >= 0.',
        'vertices[3].inputs[6].dataSetId: must be 32 hexadecimal characters.',
        'vertices[3].inputs[7]: must be an object.',
        'vertices[4].inputs: must be an array.',
        'vertices[5].inputs[0].source: must name a vertex of this graph by id or unique name, got "twin".',
        "vertices[5].inputs[1].resultPartitionType: differs from the data set's BLOCKING.",
        // inputs[2] consumes the declared data set; inputs[3] cannot consume it again.
        'vertices[5].inputs[3].dataSetId: is already consumed by another input.',
      ]);
    });

    it('a data set that belongs to another vertex', () => {
      const declared = IntermediateDataSetID.generate();
      expect(
        problemsOf({
          name: 'job',
          vertices: [
            {
              name: 'a',
              invokable: 'x',
              producedDataSets: [{ id: declared, resultPartitionType: 'PIPELINED' }],
            },
            { name: 'b', invokable: 'x' },
            {
              name: 'c',
              invokable: 'x',
              inputs: [{ source: 'b', dataSetId: declared, distributionPattern: 'POINTWISE' }],
            },
          ],
        }),
      ).toEqual(["vertices[2].inputs[0].dataSetId: belongs to 'a', not to the source."]);
    });

    it('in checkpointing', () => {
      const problems = problemsOf(minimal({ checkpointing: { coordinatorConfiguration: null } as never }));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^checkpointing: /);
      const coordinatorConfiguration = CheckpointCoordinatorConfiguration.builder()
        .setCheckpointInterval(1000)
        .build()
        .toJson();
      expect(
        problemsOf(
          minimal({
            checkpointing: {
              verticesToTrigger: [],
              verticesToAcknowledge: [],
              verticesToConfirm: [],
              coordinatorConfiguration: { ...coordinatorConfiguration, checkpointInterval: 5 },
              stateBackend: null,
            },
          }),
        ),
      ).toEqual(['checkpointing: The checkpoint interval must be at least 10 ms.']);
    });
  });
});
