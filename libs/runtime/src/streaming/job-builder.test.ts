import { describe, expect, it } from 'vitest';

import { OperatorID } from '../core/ids.js';
import { TestingEnvironment } from '../execution/testing/testing-environment.js';
import { TestingInputGate } from '../execution/testing/testing-input-gate.js';
import type { JobVertex } from '../jobgraph/job-vertex.js';
import { invokableNameOf } from '../jobgraph/job-vertex.js';
import { InvalidStreamGraphError } from './errors.js';
import { StreamExecutionEnvironment } from './job-builder.js';
import { CollectSink } from './sinks/collect-sink.js';
import { DiscardSink } from './sinks/discard-sink.js';
import { SourceStreamTask } from './source-stream-task.js';
import { RecordingWriter } from './testing/stream-test-utils.js';

function outputsOf(vertex: JobVertex) {
  return vertex.getProducedDataSets().map((dataSet) => {
    const edge = dataSet.getConsumers()[0];
    return {
      target: edge?.getTarget().getName(),
      pattern: edge?.getDistributionPattern(),
      partitioner: edge?.getPartitioner(),
    };
  });
}

describe('StreamExecutionEnvironment', () => {
  it('chains forward operators of equal parallelism and cuts at keyBy and parallelism changes', () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 2 });
    env
      .fromSequence(1, 100)
      .uid('numbers')
      .map((n) => n * 2)
      .filter((n) => n > 10)
      .keyBy((n) => n % 3)
      .reduce((a, b) => a + b)
      .uid('sums')
      .map((n) => String(n))
      .setParallelism(1)
      .sinkTo(new CollectSink<string>())
      .setParallelism(1);
    const jobGraph = env.getJobGraph('pipeline');
    expect(jobGraph.getJobType()).toBe('STREAMING');
    const vertices = jobGraph.getVerticesSortedTopologicallyFromSources();
    expect(vertices.map((vertex) => vertex.getName())).toEqual([
      'Sequence 1..100 -> Map -> Filter',
      'Keyed Reduce',
      "Map -> Collect to 'collected'",
    ]);
    expect(vertices.map((vertex) => vertex.getParallelism())).toEqual([2, 2, 1]);
    expect(vertices.map((vertex) => vertex.getMaxParallelism())).toEqual([128, 128, 128]);
    const [source, reduce, sink] = vertices as [JobVertex, JobVertex, JobVertex];
    expect(outputsOf(source)).toEqual([
      { target: 'Keyed Reduce', pattern: 'ALL_TO_ALL', partitioner: { type: 'hash', keyField: 0 } },
    ]);
    expect(outputsOf(reduce)).toEqual([
      { target: "Map -> Collect to 'collected'", pattern: 'ALL_TO_ALL', partitioner: { type: 'rebalance' } },
    ]);
    expect(outputsOf(sink)).toEqual([]);
    expect(source.getOperatorIDs()).toEqual([
      { operatorId: OperatorID.fromUid('numbers'), uid: 'numbers' },
      { operatorId: OperatorID.fromUid('map-2'), uid: 'map-2' },
      { operatorId: OperatorID.fromUid('filter-3'), uid: 'filter-3' },
    ]);
    expect(reduce.getOperatorIDs()[0]?.uid).toBe('sums');
    const names = vertices.map((vertex) => vertex.getInvokableClassName());
    expect(new Set(names).size).toBe(3);
    expect(Object.getPrototypeOf(source.getInvokableClass())).toBe(SourceStreamTask);
    expect(jobGraph.isCheckpointingEnabled()).toBe(false);
  });

  it('keeps a forward edge between equal parallelisms when the producer feeds several consumers', () => {
    const env = StreamExecutionEnvironment.create();
    const numbers = env.fromSequence(1, 10);
    numbers.sinkTo(new DiscardSink());
    numbers.rebalance().sinkTo(new CollectSink());
    const [source] = env.getJobGraph().getVerticesSortedTopologicallyFromSources();
    expect(source?.getName()).toBe('Sequence 1..10');
    expect(
      outputsOf(source as JobVertex).map(({ pattern, partitioner }) => [pattern, partitioner?.type]),
    ).toEqual([
      ['POINTWISE', 'forward'],
      ['ALL_TO_ALL', 'rebalance'],
    ]);
  });

  it('configures checkpointing: sources triggered, every vertex acknowledging, Flink defaults', () => {
    const env = StreamExecutionEnvironment.create({ parallelism: 3, maxParallelism: 64 });
    env.enableCheckpointing(500, { timeoutMs: 30_000 });
    env
      .fromSequence(1, 10)
      .keyBy((n) => n)
      .process<number>((value, _context, out) => {
        out.collect(value);
      })
      .sinkTo(new DiscardSink());
    const jobGraph = env.getJobGraph();
    const settings = jobGraph.getCheckpointingSettings();
    const vertices = jobGraph.getVerticesSortedTopologicallyFromSources();
    expect(settings?.getVerticesToTrigger()).toEqual([vertices[0]?.getID()]);
    expect(settings?.getVerticesToAcknowledge()).toHaveLength(2);
    const coordinator = settings?.getCheckpointCoordinatorConfiguration();
    expect(coordinator?.getCheckpointInterval()).toBe(500);
    expect(coordinator?.getCheckpointTimeout()).toBe(30_000);
    expect(coordinator?.isExactlyOnce()).toBe(true);
    expect(vertices.map((vertex) => vertex.getMaxParallelism())).toEqual([64, 64]);
  });

  it('refuses two operators with one uid', () => {
    const env = StreamExecutionEnvironment.create();
    env
      .fromSequence(1, 2)
      .uid('same')
      .map((n) => n)
      .uid('same')
      .sinkTo(new DiscardSink());
    expect(() => env.getJobGraph()).toThrow(InvalidStreamGraphError);
  });

  it('compiles tasks that run their chain: a keyed vertex reads [key, record] pairs', async () => {
    const env = StreamExecutionEnvironment.create();
    env
      .fromSequence(1, 6)
      .keyBy((n) => n % 2)
      .reduce((a, b) => a + b)
      .sinkTo(new CollectSink<number>('sums'));
    const [source, reduce] = env.getJobGraph().getVerticesSortedTopologicallyFromSources();
    const writer = new RecordingWriter<[number, number]>();
    const sourceEnvironment = new TestingEnvironment({ writers: [writer] });
    const SourceTask = source?.getInvokableClass();
    const ReduceTask = reduce?.getInvokableClass();
    if (SourceTask === undefined || ReduceTask === undefined) throw new Error('no invokables');
    await new SourceTask(sourceEnvironment).invoke();
    expect(writer.records()).toEqual([
      [1, 1],
      [0, 2],
      [1, 3],
      [0, 4],
      [1, 5],
      [0, 6],
    ]);
    const reduceEnvironment = new TestingEnvironment({
      inputGates: [new TestingInputGate([writer.records()])],
      writers: 0,
    });
    await new ReduceTask(reduceEnvironment).invoke();
    expect(reduceEnvironment.getAccumulatorRegistry().snapshot().sums).toEqual({
      type: 'List',
      value: [1, 2, 4, 6, 9, 12],
    });
    expect(invokableNameOf(ReduceTask)).toMatch(/^eddy\.streaming\./);
  });
});
