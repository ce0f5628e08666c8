import { describe, expect, it } from 'vitest';

import { IllegalArgumentError } from '../../core/errors.js';
import { ResultPartitionType } from '../../jobgraph/enums.js';
import type { CheckpointBarrier } from './buffer.js';
import { ChannelSelectorRecordWriter } from './channel-selector-record-writer.js';
import type { ChannelBufferOrEvent } from './input-gate.js';
import { ForwardChannelSelector } from './partitioners.js';
import type { ResultPartition } from './result-partition.js';
import { ResultPartitionManager } from './result-partition-manager.js';
import { SingleInputGate } from './single-input-gate.js';
import { newPartition } from './testing/network-test-utils.js';
import { UnionInputGate } from './union-input-gate.js';

const BARRIER: CheckpointBarrier = {
  type: 'CheckpointBarrier',
  checkpointId: 1,
  timestamp: 0,
  options: { snapshotType: 'CHECKPOINT', drain: false, targetLocation: null },
};

function writerOf(partition: ResultPartition): ChannelSelectorRecordWriter<number> {
  return new ChannelSelectorRecordWriter<number>(partition, new ForwardChannelSelector(), {
    batchSize: 1,
    bufferTimeoutMs: 60_000,
  });
}

async function connectedGate(count: number, bound = 2) {
  const manager = new ResultPartitionManager();
  const partitions = Array.from({ length: count }, () =>
    newPartition(ResultPartitionType.PIPELINED_BOUNDED, 1, bound),
  );
  for (const partition of partitions) manager.registerResultPartition(partition);
  const gate = new SingleInputGate({
    partitionIds: partitions.map((partition) => partition.partitionId),
    subpartitionIndex: 0,
    partitionManager: manager,
    requestTimeoutMs: 1000,
  });
  await gate.setup();
  return { gate, partitions, writers: partitions.map(writerOf) };
}

function pollAll(gate: { pollNext(): ChannelBufferOrEvent | undefined }): ChannelBufferOrEvent[] {
  const polled: ChannelBufferOrEvent[] = [];
  for (let next = gate.pollNext(); next !== undefined; next = gate.pollNext()) polled.push(next);
  return polled;
}

describe('SingleInputGate channel blocking', () => {
  it('leaves the data of a blocked channel queued and polls it again after resume', async () => {
    const { gate, writers } = await connectedGate(2, 10);
    writers[0]?.emit(1);
    writers[0]?.broadcastEvent(BARRIER);
    writers[0]?.emit(2);
    writers[1]?.emit(100);

    const first = gate.pollNext();
    expect(first).toMatchObject({ kind: 'buffer', records: [1], channelIndex: 0 });
    gate.blockChannel(0);
    expect(pollAll(gate)).toEqual([{ kind: 'buffer', records: [100], channelIndex: 1 }]);
    writers[0]?.emit(3);
    expect(gate.pollNext()).toBeUndefined();

    gate.resumeChannel(0);
    const resumed = pollAll(gate);
    expect(resumed.map((next) => (next.kind === 'buffer' ? next.records : next.event.type))).toEqual([
      'CheckpointBarrier',
      [2],
      [3],
    ]);
  });

  it('does not wake a waiting reader for a blocked channel, and wakes it on resume', async () => {
    const { gate, writers } = await connectedGate(2, 10);
    gate.blockChannel(1);
    let woken = false;
    const waiting = gate.getAvailableFuture().then(() => {
      woken = true;
    });
    writers[1]?.emit(7);
    await new Promise((resolve) => setImmediate(resolve));
    expect(woken).toBe(false);
    gate.resumeAll();
    await waiting;
    expect(woken).toBe(true);
    expect(gate.pollNext()).toMatchObject({ records: [7], channelIndex: 1 });
  });

  it('backpressures the producer of a blocked channel through the subpartition bound', async () => {
    const { gate, partitions, writers } = await connectedGate(1, 2);
    gate.blockChannel(0);
    writers[0]?.emit(1);
    writers[0]?.emit(2);
    expect(partitions[0]?.isAvailable()).toBe(false);
    expect(gate.pollNext()).toBeUndefined();
    gate.resumeChannel(0);
    expect(gate.pollNext()).toMatchObject({ records: [1] });
    expect(partitions[0]?.isAvailable()).toBe(true);
  });

  it('still counts the end of a channel once it is resumed', async () => {
    const { gate, writers } = await connectedGate(1);
    gate.blockChannel(0);
    writers[0]?.finish();
    expect(gate.pollNext()).toBeUndefined();
    expect(gate.isFinished()).toBe(false);
    gate.resumeChannel(0);
    expect(gate.pollNext()).toMatchObject({ kind: 'event', event: { type: 'EndOfPartition' } });
    expect(gate.isFinished()).toBe(true);
  });

  it('rejects an unknown channel index', async () => {
    const { gate } = await connectedGate(1);
    expect(() => {
      gate.blockChannel(3);
    }).toThrow(IllegalArgumentError);
  });
});

describe('UnionInputGate channel blocking', () => {
  it('blocks and resumes the channel of the owning gate by union index', async () => {
    const left = await connectedGate(2, 10);
    const right = await connectedGate(1, 10);
    const union = new UnionInputGate([left.gate, right.gate]);
    left.writers[1]?.emit(11);
    right.writers[0]?.emit(20);
    union.blockChannel(2);
    union.blockChannel(1);
    expect(union.pollNext()).toBeUndefined();
    union.resumeChannel(2);
    expect(pollAll(union)).toEqual([{ kind: 'buffer', records: [20], channelIndex: 2 }]);
    union.resumeAll();
    expect(pollAll(union)).toEqual([{ kind: 'buffer', records: [11], channelIndex: 1 }]);
    expect(() => {
      union.resumeChannel(3);
    }).toThrow(IllegalArgumentError);
  });
});
