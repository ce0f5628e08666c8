import { describe, expect, it } from 'vitest';

import { yieldToEventLoop } from '../../core/async.js';
import { ResultPartitionType } from '../../jobgraph/enums.js';
import { ChannelSelectorRecordWriter } from './channel-selector-record-writer.js';
import { createChannelSelector } from './partitioners.js';
import { ResultPartitionManager } from './result-partition-manager.js';
import { SingleInputGate } from './single-input-gate.js';
import { newPartition } from './testing/network-test-utils.js';

describe('backpressure', () => {
  it('bounds the queue of every subpartition while a fast producer feeds slow consumers', async () => {
    const records = 1_000_000;
    const subpartitions = 4;
    const bound = 2;
    const manager = new ResultPartitionManager();
    const partition = newPartition(ResultPartitionType.PIPELINED_BOUNDED, subpartitions, bound);
    manager.registerResultPartition(partition);
    const writer = new ChannelSelectorRecordWriter<number>(
      partition,
      createChannelSelector({ type: 'hash' }, subpartitions, 0, 128),
      { batchSize: 512, bufferTimeoutMs: 100 },
    );
    const gates = Array.from(
      { length: subpartitions },
      (_, subpartitionIndex) =>
        new SingleInputGate({
          partitionIds: [partition.partitionId],
          subpartitionIndex,
          partitionManager: manager,
          requestTimeoutMs: 1000,
        }),
    );
    await Promise.all(gates.map((gate) => gate.setup()));

    let maxQueued = 0;
    const observe = (): void => {
      for (let i = 0; i < subpartitions; i++)
        maxQueued = Math.max(maxQueued, partition.getNumberOfQueuedBuffers(i));
    };

    // A slow consumer: one buffer, then it lets the event loop run before it looks again.
    const consume = async (gate: SingleInputGate): Promise<{ count: number; ordered: boolean }> => {
      let count = 0;
      let last = -1;
      let ordered = true;
      for (;;) {
        observe();
        const next = gate.pollNext();
        if (next === undefined) {
          if (gate.isFinished()) return { count, ordered };
          await gate.getAvailableFuture();
          continue;
        }
        if (next.kind === 'buffer') {
          for (const record of next.records as readonly number[]) {
            if (record <= last) ordered = false;
            last = record;
          }
          count += next.records.length;
        }
        await yieldToEventLoop();
      }
    };

    let waits = 0;
    const produce = async (): Promise<void> => {
      for (let i = 0; i < records; i++) {
        if (!writer.isAvailable()) {
          waits++;
          await writer.getAvailableFuture();
        }
        writer.emit(i);
        observe();
      }
      writer.finish();
      observe();
    };

    const [results] = await Promise.all([Promise.all(gates.map(consume)), produce()]);

    expect(results.reduce((sum, result) => sum + result.count, 0)).toBe(records);
    expect(results.every((result) => result.ordered)).toBe(true);
    expect(waits).toBeGreaterThan(0);
    expect(maxQueued).toBeGreaterThanOrEqual(bound);
    expect(maxQueued).toBeLessThanOrEqual(bound + 1);
    // Fully consumed pipelined partitions release themselves.
    expect(partition.isReleased()).toBe(true);
    expect(manager.getNumberOfRegisteredPartitions()).toBe(0);
  });
});
