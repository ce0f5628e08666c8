import type { TaskIOMetrics } from '../../execution/environment.js';
import type { InputGate } from './input-gate.js';

/**
 * Reads the records of an input gate batch by batch (Flink's RecordReader, batched). Events are
 * consumed here: EndOfPartition ends a channel, and the reader ends when the gate is finished.
 * One await per batch at most, never per record.
 */
export class RecordReader<T = unknown> {
  constructor(
    private readonly gate: InputGate,
    private readonly ioMetrics?: TaskIOMetrics,
  ) {}

  /** The next batch of records, or undefined when every channel has ended. */
  async nextBatch(): Promise<readonly T[] | undefined> {
    for (;;) {
      const next = this.gate.pollNext();
      if (next !== undefined) {
        if (next.kind === 'buffer') {
          if (this.ioMetrics !== undefined) {
            this.ioMetrics.numRecordsIn += next.records.length;
            this.ioMetrics.numBuffersIn++;
          }
          return next.records as readonly T[];
        }
        continue;
      }
      if (this.gate.isFinished()) return undefined;
      await this.gate.getAvailableFuture();
    }
  }

  /** Calls `consume` for every record until the input ends. */
  async forEach(consume: (record: T) => void): Promise<void> {
    for (let batch = await this.nextBatch(); batch !== undefined; batch = await this.nextBatch()) {
      for (const record of batch) consume(record);
    }
  }

  isFinished(): boolean {
    return this.gate.isFinished();
  }
}
