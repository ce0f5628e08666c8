import { describe, expect, it } from 'vitest';

import { IllegalStateError } from '../../core/errors.js';
import { ResultPartitionType } from '../../jobgraph/enums.js';
import { ChannelSelectorRecordWriter } from './channel-selector-record-writer.js';
import { PartitionReleasedError } from './errors.js';
import {
  BroadcastChannelSelector,
  ForwardChannelSelector,
  RoundRobinChannelSelector,
} from './partitioners.js';
import { ResultPartitionManager } from './result-partition-manager.js';
import { SingleInputGate } from './single-input-gate.js';
import { drainGate, newPartition, range } from './testing/network-test-utils.js';

function setUp(
  numberOfSubpartitions: number,
  type: ResultPartitionType = ResultPartitionType.PIPELINED_BOUNDED,
) {
  const manager = new ResultPartitionManager();
  const partition = newPartition(type, numberOfSubpartitions, 1000);
  manager.registerResultPartition(partition);
  const gate = (subpartitionIndex: number): SingleInputGate =>
    new SingleInputGate({
      partitionIds: [partition.partitionId],
      subpartitionIndex,
      partitionManager: manager,
      requestTimeoutMs: 1000,
    });
  return { manager, partition, gate };
}

describe('ChannelSelectorRecordWriter', () => {
  it('delivers records in order per channel, in buffers of batch size and a flushed rest', async () => {
    const { partition, gate } = setUp(1);
    const writer = new ChannelSelectorRecordWriter<number>(partition, new ForwardChannelSelector(), {
      batchSize: 10,
      bufferTimeoutMs: 60_000,
    });
    const input = gate(0);
    await input.setup();
    for (const record of range(25)) writer.emit(record);
    writer.finish();

    const drained = await drainGate(input);
    expect(drained.records.get(0)).toEqual(range(25));
    expect(drained.bufferSizes.get(0)).toEqual([10, 10, 5]);
    expect(drained.events).toEqual([{ channelIndex: 0, event: { type: 'EndOfPartition' } }]);
  });

  it('counts records and buffers in the task IO metrics', () => {
    const { partition } = setUp(2);
    const metrics = { numRecordsIn: 0, numRecordsOut: 0, numBuffersIn: 0, numBuffersOut: 0 };
    const writer = new ChannelSelectorRecordWriter<number>(
      partition,
      new RoundRobinChannelSelector(2, 0),
      { batchSize: 4, bufferTimeoutMs: 60_000 },
      metrics,
    );
    for (const record of range(10)) writer.emit(record);
    writer.broadcastEmit(99);
    writer.finish();
    // 0..9 round robin: 5 per channel + the broadcast record = 6 per channel = buffers of 4 and 2.
    expect(metrics.numRecordsOut).toBe(11);
    expect(metrics.numBuffersOut).toBe(4);
  });

  it('flushes a partial buffer from its timer so that a slow source still delivers', async () => {
    const { partition, gate } = setUp(1);
    const writer = new ChannelSelectorRecordWriter<string>(partition, new ForwardChannelSelector(), {
      batchSize: 512,
      bufferTimeoutMs: 5,
    });
    const input = gate(0);
    await input.setup();
    writer.emit('a');
    writer.emit('b');
    writer.emit('c');
    expect(input.pollNext()).toBeUndefined();

    await input.getAvailableFuture();
    const next = input.pollNext();
    expect(next).toEqual({ kind: 'buffer', records: ['a', 'b', 'c'], channelIndex: 0 });
    writer.finish();
  });

  it('hands every record over at once with a buffer timeout of 0', async () => {
    const { partition, gate } = setUp(1);
    const writer = new ChannelSelectorRecordWriter<number>(partition, new ForwardChannelSelector(), {
      batchSize: 512,
      bufferTimeoutMs: 0,
    });
    const input = gate(0);
    await input.setup();
    writer.emit(1);
    expect(input.pollNext()).toEqual({ kind: 'buffer', records: [1], channelIndex: 0 });
    writer.emit(2);
    expect(input.pollNext()).toEqual({ kind: 'buffer', records: [2], channelIndex: 0 });
    writer.finish();
  });

  it('sends events after the records emitted before them', async () => {
    const { partition, gate } = setUp(2);
    const writer = new ChannelSelectorRecordWriter<number>(partition, new RoundRobinChannelSelector(2, 0), {
      batchSize: 100,
      bufferTimeoutMs: 60_000,
    });
    const inputs = [gate(0), gate(1)];
    await Promise.all(inputs.map((input) => input.setup()));
    writer.emit(0);
    writer.emit(1);
    writer.broadcastEvent({ type: 'EndOfData' });
    writer.emit(2);
    writer.finish();

    const [first, second] = inputs;
    expect(first?.pollNext()).toEqual({ kind: 'buffer', records: [0], channelIndex: 0 });
    expect(first?.pollNext()).toEqual({ kind: 'event', event: { type: 'EndOfData' }, channelIndex: 0 });
    expect(first?.pollNext()).toEqual({ kind: 'buffer', records: [2], channelIndex: 0 });
    expect(first?.pollNext()).toEqual({ kind: 'event', event: { type: 'EndOfPartition' }, channelIndex: 0 });
    expect(first?.isFinished()).toBe(true);
    expect(second?.pollNext()).toEqual({ kind: 'buffer', records: [1], channelIndex: 0 });
    expect(second?.pollNext()).toEqual({ kind: 'event', event: { type: 'EndOfData' }, channelIndex: 0 });
    expect(second?.pollNext()).toEqual({ kind: 'event', event: { type: 'EndOfPartition' }, channelIndex: 0 });
  });

  it('sends every record to every channel with a broadcast partitioner', async () => {
    const { partition, gate } = setUp(3);
    const writer = new ChannelSelectorRecordWriter<number>(partition, new BroadcastChannelSelector(), {
      batchSize: 4,
      bufferTimeoutMs: 60_000,
    });
    const inputs = [gate(0), gate(1), gate(2)];
    await Promise.all(inputs.map((input) => input.setup()));
    for (const record of range(10)) writer.emit(record);
    writer.finish();
    for (const input of inputs) expect((await drainGate(input)).records.get(0)).toEqual(range(10));
  });

  it('refuses records after finish and after release', () => {
    const { partition } = setUp(1);
    const writer = new ChannelSelectorRecordWriter<number>(partition, new ForwardChannelSelector(), {
      batchSize: 4,
      bufferTimeoutMs: 60_000,
    });
    writer.finish();
    expect(() => {
      writer.emit(1);
    }).toThrow(IllegalStateError);

    const other = setUp(1);
    const released = new ChannelSelectorRecordWriter<number>(other.partition, new ForwardChannelSelector(), {
      batchSize: 4,
      bufferTimeoutMs: 60_000,
    });
    released.emit(1);
    const cause = new Error('cancelled');
    other.partition.release(cause);
    let error: unknown;
    try {
      released.emit(2);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(PartitionReleasedError);
    expect((error as PartitionReleasedError).cause).toBe(cause);
    expect((error as PartitionReleasedError).partitionId).toEqual(other.partition.partitionId);
  });
});
