import { describe, expect, it } from 'vitest';

import { Configuration } from '../../core/configuration.js';
import { IllegalArgumentError } from '../../core/errors.js';
import {
  ExecutionAttemptID,
  ExecutionVertexID,
  IntermediateDataSetID,
  IntermediateResultPartitionID,
  JobID,
  JobVertexID,
} from '../../core/ids.js';
import type { ResultPartitionID } from '../../core/ids.js';
import type { TaskIOMetrics } from '../../execution/environment.js';
import { ResultPartitionType } from '../../jobgraph/enums.js';
import type { PartitionerSpec } from '../../jobgraph/partitioner-spec.js';
import { KeyGroupRangeAssignment } from '../../state/key-group-range-assignment.js';
import { PartitionNotFoundError } from './errors.js';
import { LocalShuffleEnvironment } from './local-shuffle-environment.js';
import { NetworkOptions, compileNetworkConfig } from './network-options.js';
import { RecordReader } from './record-reader.js';
import { ResultPartitionManager } from './result-partition-manager.js';
import type { ShuffleIOOwnerContext } from './shuffle-environment.js';

const MAX_PARALLELISM = 128;

function owner(jobId: JobID, vertexId: JobVertexID, subtaskIndex: number): ShuffleIOOwnerContext {
  const metrics: TaskIOMetrics = { numRecordsIn: 0, numRecordsOut: 0, numBuffersIn: 0, numBuffersOut: 0 };
  return {
    jobId,
    executionId: ExecutionAttemptID.generate(ExecutionVertexID.of(vertexId, subtaskIndex)),
    subtaskIndex,
    taskName: `task ${subtaskIndex}`,
    ioMetrics: metrics,
  };
}

/** A producer vertex of parallelism `producers` feeding a consumer vertex of parallelism `consumers`. */
function exchange(
  environments: readonly LocalShuffleEnvironment[],
  producers: number,
  consumers: number,
  partitioner: PartitionerSpec,
  partitionType: ResultPartitionType = ResultPartitionType.PIPELINED_BOUNDED,
) {
  const jobId = JobID.generate();
  const resultId = IntermediateDataSetID.generate();
  const producerVertex = JobVertexID.generate();
  const consumerVertex = JobVertexID.generate();
  const environmentOf = (i: number): LocalShuffleEnvironment => {
    const environment = environments[i % environments.length];
    if (environment === undefined) throw new Error('no environment');
    return environment;
  };
  const producerTasks = Array.from({ length: producers }, (_, i) => {
    const context = owner(jobId, producerVertex, i);
    const [partition] = environmentOf(i).createResultPartitions(context, [
      {
        resultId,
        partitionId: IntermediateResultPartitionID.of(resultId, i),
        partitionType,
        numberOfSubpartitions: consumers,
        partitioner,
        consumerMaxParallelism: MAX_PARALLELISM,
      },
    ]);
    if (partition === undefined) throw new Error('no partition');
    return { context, partition };
  });
  const channels: ResultPartitionID[] = producerTasks.map((task) => task.partition.partitionId);
  const consumerTasks = Array.from({ length: consumers }, (_, i) => {
    const context = owner(jobId, consumerVertex, i);
    const [gate] = environmentOf(i + 1).createInputGates(context, [
      {
        consumedResultId: resultId,
        consumedPartitionType: partitionType,
        consumedSubpartitionIndex: i,
        inputChannels: channels,
      },
    ]);
    if (gate === undefined) throw new Error('no gate');
    return { context, gate };
  });
  return { jobId, producerTasks, consumerTasks };
}

describe('LocalShuffleEnvironment', () => {
  it('compiles and validates the network options', () => {
    expect(compileNetworkConfig(new Configuration())).toEqual({
      batchSize: 512,
      buffersPerChannel: 2,
      bufferTimeoutMs: 100,
      requestBackoffMaxMs: 10_000,
    });
    const conf = new Configuration({
      [NetworkOptions.BUFFER_TIMEOUT.key]: '1 s',
      [NetworkOptions.BATCH_SIZE.key]: 64,
    });
    expect(compileNetworkConfig(conf)).toMatchObject({ batchSize: 64, bufferTimeoutMs: 1000 });
    expect(() => compileNetworkConfig(new Configuration({ [NetworkOptions.BATCH_SIZE.key]: 0 }))).toThrow(
      IllegalArgumentError,
    );
  });

  it('runs a hash exchange between tasks of two environments sharing one partition manager', async () => {
    const manager = new ResultPartitionManager();
    const conf = new Configuration({ [NetworkOptions.BATCH_SIZE.key]: 16 });
    const environments = [
      new LocalShuffleEnvironment(conf, manager),
      new LocalShuffleEnvironment(conf, manager),
    ];
    const { producerTasks, consumerTasks } = exchange(environments, 3, 2, { type: 'hash', keyField: 0 });

    const consumed = consumerTasks.map(async ({ context, gate }) => {
      await gate.setup();
      const reader = new RecordReader<[string, number]>(gate, context.ioMetrics);
      const seen: [string, number][] = [];
      await reader.forEach((record) => seen.push(record));
      gate.close();
      return seen;
    });
    await Promise.all(
      producerTasks.map(async ({ context, partition }) => {
        for (let i = 0; i < 1000; i++) {
          if (!partition.writer.isAvailable()) await partition.writer.getAvailableFuture();
          partition.writer.emit([`key-${i % 37}`, context.subtaskIndex * 1000 + i]);
        }
        partition.finish();
      }),
    );
    const results = await Promise.all(consumed);

    expect(results.reduce((sum, seen) => sum + seen.length, 0)).toBe(3000);
    results.forEach((seen, consumerIndex) => {
      for (const [key] of seen) {
        expect(KeyGroupRangeAssignment.assignKeyToParallelOperator(key, MAX_PARALLELISM, 2)).toBe(
          consumerIndex,
        );
      }
      // Per producer, records arrive in the order they were emitted.
      for (let producer = 0; producer < 3; producer++) {
        const values = seen
          .map(([, value]) => value)
          .filter((value) => Math.floor(value / 1000) === producer);
        expect(values).toEqual([...values].sort((a, b) => a - b));
      }
    });
    expect(producerTasks.reduce((sum, task) => sum + task.context.ioMetrics.numRecordsOut, 0)).toBe(3000);
    expect(consumerTasks.reduce((sum, task) => sum + task.context.ioMetrics.numRecordsIn, 0)).toBe(3000);
    // Pipelined partitions read to their end are gone.
    expect(manager.getNumberOfRegisteredPartitions()).toBe(0);
    expect(environments.map((environment) => environment.getNumberOfPartitions())).toEqual([0, 0]);
  });

  it('keeps BLOCKING partitions until released and releases only its own', async () => {
    const manager = new ResultPartitionManager();
    const conf = new Configuration();
    const environments = [
      new LocalShuffleEnvironment(conf, manager),
      new LocalShuffleEnvironment(conf, manager),
    ];
    const { jobId, producerTasks, consumerTasks } = exchange(
      environments,
      2,
      2,
      { type: 'rebalance' },
      ResultPartitionType.BLOCKING,
    );
    for (const { partition } of producerTasks) {
      for (let i = 0; i < 10; i++) partition.writer.emit(i);
      partition.finish();
    }
    for (const { gate } of consumerTasks) {
      await gate.setup();
      const records: unknown[] = [];
      await new RecordReader(gate).forEach((record) => records.push(record));
      expect(records).toHaveLength(10);
    }
    expect(environments.map((environment) => environment.getNumberOfPartitions())).toEqual([1, 1]);
    expect(manager.getNumberOfRegisteredPartitions()).toBe(2);

    environments[0]?.releasePartitionsOfJob(jobId);
    expect(environments.map((environment) => environment.getNumberOfPartitions())).toEqual([0, 1]);
    environments[1]?.releasePartitions([producerTasks[1]!.partition.partitionId]);
    expect(manager.getNumberOfRegisteredPartitions()).toBe(0);
  });

  it('fails a consumer whose producer never registers after the configured backoff', async () => {
    const conf = new Configuration({ [NetworkOptions.REQUEST_BACKOFF_MAX.key]: '15 ms' });
    const environment = new LocalShuffleEnvironment(conf);
    const context = owner(JobID.generate(), JobVertexID.generate(), 0);
    const resultId = IntermediateDataSetID.generate();
    const missing: ResultPartitionID = {
      partitionId: IntermediateResultPartitionID.of(resultId, 0),
      producerId: ExecutionAttemptID.generate(ExecutionVertexID.of(JobVertexID.generate(), 0)),
    };
    const [gate] = environment.createInputGates(context, [
      {
        consumedResultId: resultId,
        consumedPartitionType: ResultPartitionType.PIPELINED_BOUNDED,
        consumedSubpartitionIndex: 0,
        inputChannels: [missing],
      },
    ]);
    await expect(gate?.setup()).rejects.toBeInstanceOf(PartitionNotFoundError);
  });

  it('release() of a task partition stops its writer and fails its readers', async () => {
    const environment = new LocalShuffleEnvironment(new Configuration());
    const { producerTasks, consumerTasks } = exchange([environment], 1, 1, { type: 'forward' });
    const [producer] = producerTasks;
    const [consumer] = consumerTasks;
    if (producer === undefined || consumer === undefined) throw new Error('no tasks');
    await consumer.gate.setup();
    producer.partition.writer.emit('x');
    producer.partition.writer.flushAll();
    producer.partition.release(new Error('cancelled'));
    producer.partition.release();
    expect(environment.getNumberOfPartitions()).toBe(0);
    await expect(new RecordReader(consumer.gate).nextBatch()).rejects.toThrow(/released: cancelled/);
    environment.close();
  });
});
