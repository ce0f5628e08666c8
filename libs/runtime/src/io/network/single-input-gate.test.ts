import { describe, expect, it } from 'vitest';

import { ComponentClosedError } from '../../core/errors.js';
import { ResultPartitionType } from '../../jobgraph/enums.js';
import { ChannelSelectorRecordWriter } from './channel-selector-record-writer.js';
import { PartitionNotFoundError } from './errors.js';
import { ForwardChannelSelector } from './partitioners.js';
import { RecordReader } from './record-reader.js';
import { ResultPartitionManager } from './result-partition-manager.js';
import { SingleInputGate } from './single-input-gate.js';
import { drainGate, newPartition, newResultPartitionId, range } from './testing/network-test-utils.js';
import { UnionInputGate } from './union-input-gate.js';
import type { ResultPartition } from './result-partition.js';

function writerOf(partition: ResultPartition, batchSize = 4): ChannelSelectorRecordWriter<number> {
  return new ChannelSelectorRecordWriter<number>(partition, new ForwardChannelSelector(), {
    batchSize,
    bufferTimeoutMs: 60_000,
  });
}

function gateOf(
  manager: ResultPartitionManager,
  partitions: readonly ResultPartition[],
  requestTimeoutMs = 1000,
) {
  return new SingleInputGate({
    partitionIds: partitions.map((partition) => partition.partitionId),
    subpartitionIndex: 0,
    partitionManager: manager,
    requestTimeoutMs,
  });
}

describe('SingleInputGate', () => {
  it('connects a consumer set up before its producer once the producer registers', async () => {
    const manager = new ResultPartitionManager();
    const partition = newPartition(ResultPartitionType.PIPELINED_BOUNDED, 1);
    const gate = gateOf(manager, [partition], 60_000);
    const setup = gate.setup();
    expect(gate.getChannel(0)?.isConnected()).toBe(false);

    manager.registerResultPartition(partition);
    await setup;
    expect(gate.getChannel(0)?.isConnected()).toBe(true);
    const writer = writerOf(partition);
    for (const record of range(10)) writer.emit(record);
    writer.finish();
    expect((await drainGate(gate)).records.get(0)).toEqual(range(10));
  });

  it('fails with PartitionNotFoundError when the producer does not appear in time', async () => {
    const manager = new ResultPartitionManager();
    const missing = newResultPartitionId();
    const gate = new SingleInputGate({
      partitionIds: [missing],
      subpartitionIndex: 0,
      partitionManager: manager,
      requestTimeoutMs: 10,
    });
    const error = await gate.setup().then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(PartitionNotFoundError);
    expect((error as PartitionNotFoundError).partitionId).toEqual(missing);
  });

  it('stops waiting for producers when closed', async () => {
    const manager = new ResultPartitionManager();
    const gate = gateOf(manager, [newPartition(ResultPartitionType.PIPELINED, 1)], 60_000);
    const setup = gate.setup();
    gate.close();
    await expect(setup).rejects.toBeInstanceOf(ComponentClosedError);
    expect(gate.pollNext()).toBeUndefined();
    expect(gate.isFinished()).toBe(true);
    await gate.getAvailableFuture();
  });

  it('polls the channels with data round robin and finishes when every channel ended', async () => {
    const manager = new ResultPartitionManager();
    const partitions = range(3).map(() => newPartition(ResultPartitionType.PIPELINED_BOUNDED, 1, 10));
    for (const partition of partitions) manager.registerResultPartition(partition);
    const gate = gateOf(manager, partitions);
    await gate.setup();
    const writers = partitions.map((partition) => writerOf(partition, 1));
    // Channel 0 gets three buffers, channel 2 one, channel 1 none yet.
    writers[0]?.emit(1);
    writers[2]?.emit(100);
    writers[0]?.emit(2);
    writers[0]?.emit(3);
    const order: number[] = [];
    for (let next = gate.pollNext(); next !== undefined; next = gate.pollNext()) {
      if (next.kind === 'buffer') order.push(next.channelIndex);
    }
    expect(order).toEqual([0, 2, 0, 0]);
    expect(gate.isFinished()).toBe(false);

    const reader = new RecordReader<number>(gate);
    const reading = (async () => {
      const records: number[] = [];
      await reader.forEach((record) => records.push(record));
      return records;
    })();
    writers[1]?.emit(50);
    for (const writer of writers) writer.finish();
    expect(await reading).toEqual([50]);
    expect(gate.isFinished()).toBe(true);
  });
});

describe('UnionInputGate', () => {
  it('delivers from all gates with offset channel indices and finishes when all did', async () => {
    const manager = new ResultPartitionManager();
    const left = range(2).map(() => newPartition(ResultPartitionType.PIPELINED_BOUNDED, 1));
    const right = [newPartition(ResultPartitionType.BLOCKING, 1)];
    for (const partition of [...left, ...right]) manager.registerResultPartition(partition);
    const union = new UnionInputGate([gateOf(manager, left), gateOf(manager, right)]);
    expect(union.getNumberOfInputChannels()).toBe(3);
    await union.setup();

    const draining = drainGate(union);
    const writers = [...left, ...right].map((partition) => writerOf(partition, 3));
    for (const record of range(10)) writers[0]?.emit(record);
    for (const record of range(5, 100)) writers[2]?.emit(record);
    for (const writer of writers) writer.finish();
    const drained = await draining;

    expect(drained.records.get(0)).toEqual(range(10));
    expect(drained.records.get(1)).toBeUndefined();
    expect(drained.records.get(2)).toEqual(range(5, 100));
    expect(drained.events.map((event) => event.channelIndex).sort()).toEqual([0, 1, 2]);
    expect(union.isFinished()).toBe(true);
  });

  it('wakes when any gate has data while another stays idle', async () => {
    const manager = new ResultPartitionManager();
    const idle = newPartition(ResultPartitionType.PIPELINED_BOUNDED, 1);
    const busy = newPartition(ResultPartitionType.PIPELINED_BOUNDED, 1);
    manager.registerResultPartition(idle);
    manager.registerResultPartition(busy);
    const union = new UnionInputGate([gateOf(manager, [idle]), gateOf(manager, [busy])]);
    await union.setup();
    const writer = writerOf(busy, 1);
    let received = 0;
    for (let i = 0; i < 100; i++) {
      const waiting = union.getAvailableFuture();
      writer.emit(i);
      await waiting;
      const next = union.pollNext();
      if (next?.kind === 'buffer') received += next.records.length;
    }
    expect(received).toBe(100);
    union.close();
    expect(union.isFinished()).toBe(true);
    expect(union.pollNext()).toBeUndefined();
  });
});
