import { describe, expect, it } from 'vitest';

import { IllegalStateError } from '../../core/errors.js';
import { ResultPartitionType } from '../../jobgraph/enums.js';
import { ChannelSelectorRecordWriter } from './channel-selector-record-writer.js';
import { PartitionNotFoundError, PartitionReleasedError } from './errors.js';
import { ForwardChannelSelector, RoundRobinChannelSelector } from './partitioners.js';
import { ResultPartitionManager } from './result-partition-manager.js';
import { SingleInputGate } from './single-input-gate.js';
import { drainGate, newPartition, range } from './testing/network-test-utils.js';
import type { ResultPartition } from './result-partition.js';

function gateOf(manager: ResultPartitionManager, partition: ResultPartition, subpartitionIndex: number) {
  return new SingleInputGate({
    partitionIds: [partition.partitionId],
    subpartitionIndex,
    partitionManager: manager,
    requestTimeoutMs: 20,
  });
}

describe('ResultPartition', () => {
  it('BLOCKING: any number of readers each read everything from the start, also after finish', async () => {
    const manager = new ResultPartitionManager();
    const partition = newPartition(ResultPartitionType.BLOCKING, 2, 1);
    manager.registerResultPartition(partition);
    const writer = new ChannelSelectorRecordWriter<number>(partition, new RoundRobinChannelSelector(2, 0), {
      batchSize: 3,
      bufferTimeoutMs: 60_000,
    });
    // A reader attached while the producer runs sees the data as it comes.
    const early = gateOf(manager, partition, 0);
    await early.setup();
    for (const record of range(100)) {
      expect(writer.isAvailable()).toBe(true);
      writer.emit(record);
    }
    writer.finish();
    const evens = range(50).map((i) => i * 2);
    expect((await drainGate(early)).records.get(0)).toEqual(evens);

    // Two more readers of the finished partition, e.g. a restarted consumer region.
    const first = gateOf(manager, partition, 0);
    const second = gateOf(manager, partition, 0);
    await Promise.all([first.setup(), second.setup()]);
    const [a, b] = await Promise.all([drainGate(first), drainGate(second)]);
    expect(a.records.get(0)).toEqual(evens);
    expect(b.records.get(0)).toEqual(evens);
    expect(a.bufferSizes).toEqual(b.bufferSizes);

    // A reader owns its records: changing them does not change what the next reader gets.
    const mutating = gateOf(manager, partition, 1);
    await mutating.setup();
    const buffer = mutating.pollNext();
    if (buffer?.kind !== 'buffer') throw new Error('expected a buffer');
    (buffer.records as number[]).fill(-1);
    const clean = gateOf(manager, partition, 1);
    await clean.setup();
    expect((await drainGate(clean)).records.get(0)).toEqual(evens.map((i) => i + 1));

    // It stays until released explicitly.
    expect(manager.getNumberOfRegisteredPartitions()).toBe(1);
    manager.releasePartition(partition.partitionId);
    expect(partition.isReleased()).toBe(true);
    expect(manager.getNumberOfRegisteredPartitions()).toBe(0);
    await expect(gateOf(manager, partition, 0).setup()).rejects.toBeInstanceOf(PartitionNotFoundError);
  });

  it('PIPELINED: one reader per subpartition, and the partition releases itself once fully read', async () => {
    const manager = new ResultPartitionManager();
    const partition = newPartition(ResultPartitionType.PIPELINED, 2);
    manager.registerResultPartition(partition);
    const writer = new ChannelSelectorRecordWriter<number>(partition, new RoundRobinChannelSelector(2, 0), {
      batchSize: 2,
      bufferTimeoutMs: 60_000,
    });
    const gates = [gateOf(manager, partition, 0), gateOf(manager, partition, 1)];
    await Promise.all(gates.map((gate) => gate.setup()));
    await expect(gateOf(manager, partition, 0).setup()).rejects.toBeInstanceOf(IllegalStateError);

    for (const record of range(4)) writer.emit(record);
    writer.finish();
    const [a] = await Promise.all(gates.map((gate) => drainGate(gate)));
    expect(a?.records.get(0)).toEqual([0, 2]);
    expect(partition.isReleased()).toBe(true);
    expect(manager.getNumberOfRegisteredPartitions()).toBe(0);
  });

  it('release wakes a waiting producer with PartitionReleasedError and fails the reader', async () => {
    const manager = new ResultPartitionManager();
    const partition = newPartition(ResultPartitionType.PIPELINED_BOUNDED, 1, 1);
    manager.registerResultPartition(partition);
    const writer = new ChannelSelectorRecordWriter<number>(partition, new ForwardChannelSelector(), {
      batchSize: 2,
      bufferTimeoutMs: 60_000,
    });
    const gate = gateOf(manager, partition, 0);
    await gate.setup();

    writer.emit(1);
    writer.emit(2);
    expect(writer.isAvailable()).toBe(false);
    const waiting = writer.getAvailableFuture();
    const readerWaiting = gate.getAvailableFuture();

    const cause = new Error('task cancelled');
    manager.releasePartition(partition.partitionId, cause);

    const error = await waiting.then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(PartitionReleasedError);
    expect((error as PartitionReleasedError).cause).toBe(cause);
    await readerWaiting;
    expect(() => gate.pollNext()).toThrow(PartitionReleasedError);
    expect(() => gate.pollNext()).toThrow(PartitionReleasedError);
    expect(() => {
      writer.emit(3);
    }).toThrow(PartitionReleasedError);
    await expect(writer.getAvailableFuture()).rejects.toBeInstanceOf(PartitionReleasedError);
    expect(manager.getNumberOfRegisteredPartitions()).toBe(0);
  });

  it('a reader that leaves early does not block the producer of the other subpartitions', async () => {
    const manager = new ResultPartitionManager();
    const partition = newPartition(ResultPartitionType.PIPELINED_BOUNDED, 2, 1);
    manager.registerResultPartition(partition);
    const writer = new ChannelSelectorRecordWriter<number>(partition, new RoundRobinChannelSelector(2, 0), {
      batchSize: 1,
      bufferTimeoutMs: 60_000,
    });
    const [leaving, staying] = [gateOf(manager, partition, 0), gateOf(manager, partition, 1)];
    await Promise.all([leaving.setup(), staying.setup()]);
    writer.emit(0);
    expect(writer.isAvailable()).toBe(false);
    leaving.close();
    expect(leaving.isFinished()).toBe(true);
    expect(writer.isAvailable()).toBe(true);

    const reading = drainGate(staying);
    for (const record of range(10, 1)) {
      if (!writer.isAvailable()) await writer.getAvailableFuture();
      writer.emit(record);
    }
    writer.finish();
    expect((await reading).records.get(0)).toEqual([1, 3, 5, 7, 9]);
    expect(partition.isReleased()).toBe(true);
  });

  it('tracks partitions by job and releases those of one job', () => {
    const manager = new ResultPartitionManager();
    const a = newPartition(ResultPartitionType.BLOCKING, 1);
    const b = newPartition(ResultPartitionType.BLOCKING, 1, 2, a.jobId);
    const other = newPartition(ResultPartitionType.BLOCKING, 1);
    for (const partition of [a, b, other]) manager.registerResultPartition(partition);
    expect(() => {
      manager.registerResultPartition(a);
    }).toThrow(IllegalStateError);
    manager.releasePartitionsOfJob(a.jobId);
    expect([a.isReleased(), b.isReleased(), other.isReleased()]).toEqual([true, true, false]);
    expect(manager.getNumberOfRegisteredPartitions()).toBe(1);
    expect(manager.getPartition(other.partitionId)).toBe(other);
  });
});
