import { IllegalArgumentError, IllegalStateError } from '../../core/errors.js';
import type { TaskIOMetrics } from '../../execution/environment.js';
import type { RuntimeEvent } from './buffer.js';
import { PartitionReleasedError } from './errors.js';
import type { ChannelSelector } from './partitioners.js';
import type { RecordWriter } from './record-writer.js';
import type { ResultPartition } from './result-partition.js';

export interface RecordWriterOptions {
  /** Records per buffer (`taskmanager.network.batch-size`, default 512). */
  readonly batchSize: number;
  /**
   * Flush interval of partial buffers in ms (`execution.buffer-timeout`, default 100); 0 hands every
   * record over as soon as it is emitted.
   */
  readonly bufferTimeoutMs: number;
}

/**
 * The RecordWriter of a task's result partition (Flink's ChannelSelectorRecordWriter and
 * BroadcastRecordWriter in one). It keeps one open array per subpartition: `emit` appends the record
 * to the array of the channel the selector picks and hands the array over as a buffer when it holds
 * `batchSize` records. A periodic flusher (every `bufferTimeoutMs`, unref'd) hands over partial
 * buffers so that the records of a slow source still arrive; it stops on finish and on release.
 * Events are sent after a flush, in order with the records.
 *
 * `emit` never awaits and allocates nothing but the next array of a handed-over buffer; the caller
 * checks `isAvailable()` and awaits `getAvailableFuture()` when a subpartition's queue is full.
 * Emitting after the partition was released throws PartitionReleasedError; after `finish()`,
 * IllegalStateError.
 */
export class ChannelSelectorRecordWriter<T = unknown> implements RecordWriter<T> {
  private readonly buffers: T[][];
  private readonly numberOfSubpartitions: number;
  private readonly batchSize: number;
  private readonly broadcast: boolean;
  private flusher: NodeJS.Timeout | undefined;
  /** False once finished or released: the one check on the emit path. */
  private open = true;

  constructor(
    private readonly partition: ResultPartition,
    private readonly selector: ChannelSelector<T>,
    options: RecordWriterOptions,
    private readonly ioMetrics: TaskIOMetrics = {
      numRecordsIn: 0,
      numRecordsOut: 0,
      numBuffersIn: 0,
      numBuffersOut: 0,
    },
  ) {
    if (!Number.isSafeInteger(options.batchSize) || options.batchSize < 1) {
      throw new IllegalArgumentError(`The batch size must be >= 1, got ${options.batchSize}.`);
    }
    this.numberOfSubpartitions = partition.getNumberOfSubpartitions();
    this.buffers = [];
    for (let i = 0; i < this.numberOfSubpartitions; i++) this.buffers.push([]);
    this.batchSize = options.bufferTimeoutMs === 0 ? 1 : options.batchSize;
    this.broadcast = selector.isBroadcast();
    if (options.bufferTimeoutMs > 0) {
      this.flusher = setInterval(() => {
        this.flushFromTimer();
      }, options.bufferTimeoutMs);
      this.flusher.unref();
    }
    partition.onRelease(() => {
      this.open = false;
      this.stopFlusher();
    });
  }

  emit(record: T): void {
    if (this.broadcast) {
      this.broadcastEmit(record);
      return;
    }
    if (!this.open) this.throwClosed();
    const channel = this.selector.selectChannel(record);
    const buffer = this.buffers[channel];
    if (buffer === undefined)
      throw new IllegalStateError(`The partitioner selected channel ${channel}, which does not exist.`);
    buffer.push(record);
    this.ioMetrics.numRecordsOut++;
    if (buffer.length >= this.batchSize) this.handOver(channel, buffer);
  }

  broadcastEmit(record: T): void {
    if (!this.open) this.throwClosed();
    const buffers = this.buffers;
    for (let channel = 0; channel < buffers.length; channel++) {
      const buffer = buffers[channel];
      if (buffer === undefined) continue;
      buffer.push(record);
      if (buffer.length >= this.batchSize) this.handOver(channel, buffer);
    }
    this.ioMetrics.numRecordsOut++;
  }

  broadcastEvent(event: RuntimeEvent): void {
    if (event.type === 'EndOfPartition') {
      this.finish();
      return;
    }
    if (!this.open) this.throwClosed();
    this.flushAll();
    this.partition.broadcastEvent(event);
  }

  flushAll(): void {
    const buffers = this.buffers;
    for (let channel = 0; channel < buffers.length; channel++) {
      const buffer = buffers[channel];
      if (buffer !== undefined && buffer.length > 0) this.handOver(channel, buffer);
    }
  }

  isAvailable(): boolean {
    return this.partition.isAvailable();
  }

  getAvailableFuture(): Promise<void> {
    return this.partition.getAvailableFuture();
  }

  finish(): void {
    if (!this.open) this.throwClosed();
    this.flushAll();
    this.open = false;
    this.stopFlusher();
    this.partition.finish();
  }

  getNumberOfSubpartitions(): number {
    return this.numberOfSubpartitions;
  }

  /** Stops the flusher and drops unsent records; for a task that fails or is cancelled. Idempotent. */
  close(): void {
    this.open = false;
    this.stopFlusher();
    for (let channel = 0; channel < this.buffers.length; channel++) this.buffers[channel] = [];
  }

  private handOver(channel: number, buffer: T[]): void {
    this.buffers[channel] = [];
    this.partition.addBuffer(channel, buffer);
    this.ioMetrics.numBuffersOut++;
  }

  private flushFromTimer(): void {
    if (!this.open) {
      this.stopFlusher();
      return;
    }
    this.flushAll();
  }

  private stopFlusher(): void {
    if (this.flusher !== undefined) {
      clearInterval(this.flusher);
      this.flusher = undefined;
    }
  }

  private throwClosed(): never {
    if (this.partition.isReleased()) {
      throw new PartitionReleasedError(this.partition.partitionId, this.partition.getReleaseCause());
    }
    throw new IllegalStateError('The record writer is finished or closed: no record or event may follow.');
  }
}
