import { deferred } from '../../core/async.js';
import type { Deferred } from '../../core/async.js';
import { IllegalArgumentError, IllegalStateError } from '../../core/errors.js';
import { END_OF_PARTITION } from '../../io/network/buffer.js';
import type { BufferOrEvent, RuntimeEvent } from '../../io/network/buffer.js';
import type { ChannelBufferOrEvent, InputGate } from '../../io/network/input-gate.js';

/** How a {@link TestingInputGate} cuts and ends its channels. */
export interface TestingInputGateOptions {
  /** Records per delivered buffer. Default 2, so that short inputs still span several buffers. */
  readonly recordsPerBuffer?: number;
  /**
   * Whether each channel ends (EndOfPartition) after its initial records. Default true; with
   * false the channels stay open until {@link TestingInputGate.endChannel}.
   */
  readonly endOfPartition?: boolean;
}

interface TestingChannel {
  readonly queue: BufferOrEvent[];
  /** EndOfPartition was queued: no more records may be added. */
  endQueued: boolean;
  /** EndOfPartition was polled. */
  ended: boolean;
  /** Skipped by polls until resumed (barrier alignment). */
  blocked: boolean;
}

/**
 * An in-memory input gate for tests: each channel delivers given records in buffers of
 * `recordsPerBuffer`, then EndOfPartition. Channels are polled round-robin, one buffer or event at
 * a time. Records can be added and channels ended later to drive a task step by step; a closed
 * gate counts as finished, so that readers stop. Blocked channels are skipped until resumed.
 */
export class TestingInputGate implements InputGate {
  private readonly channels: TestingChannel[];
  private readonly recordsPerBuffer: number;
  private nextChannel = 0;
  private closed = false;
  private waiter: Deferred<undefined> | undefined;
  /** Number of `setup()` calls. */
  setupCalls = 0;
  /** Number of buffers handed out so far. */
  buffersPolled = 0;

  constructor(channelRecords: readonly (readonly unknown[])[], options: TestingInputGateOptions = {}) {
    this.recordsPerBuffer = options.recordsPerBuffer ?? 2;
    if (!Number.isInteger(this.recordsPerBuffer) || this.recordsPerBuffer < 1) {
      throw new IllegalArgumentError(
        `recordsPerBuffer must be a positive integer, not ${this.recordsPerBuffer}.`,
      );
    }
    this.channels = channelRecords.map(() => ({
      queue: [],
      endQueued: false,
      ended: false,
      blocked: false,
    }));
    channelRecords.forEach((records, index) => {
      this.addRecords(index, records);
      if (options.endOfPartition ?? true) this.endChannel(index);
    });
  }

  /** A gate with one channel per argument, each ending after its records. */
  static of(...channelRecords: (readonly unknown[])[]): TestingInputGate {
    return new TestingInputGate(channelRecords);
  }

  /** Queues `records` on a channel, in buffers of `recordsPerBuffer`. */
  addRecords(channelIndex: number, records: readonly unknown[]): void {
    const channel = this.channel(channelIndex);
    if (channel.endQueued) throw new IllegalStateError(`Channel ${channelIndex} already ended.`);
    for (let start = 0; start < records.length; start += this.recordsPerBuffer) {
      channel.queue.push({ kind: 'buffer', records: records.slice(start, start + this.recordsPerBuffer) });
    }
    if (records.length > 0) this.notifyAvailable();
  }

  /** Queues an event (a checkpoint barrier, say) on a channel, after the records queued before it. */
  addEvent(channelIndex: number, event: RuntimeEvent): void {
    const channel = this.channel(channelIndex);
    if (channel.endQueued) throw new IllegalStateError(`Channel ${channelIndex} already ended.`);
    channel.queue.push({ kind: 'event', event });
    this.notifyAvailable();
  }

  /** Whether channel `channelIndex` is blocked. */
  isChannelBlocked(channelIndex: number): boolean {
    return this.channel(channelIndex).blocked;
  }

  /** Buffers and events queued on a channel and not polled yet. */
  getQueuedCount(channelIndex: number): number {
    return this.channel(channelIndex).queue.length;
  }

  /** Queues EndOfPartition on a channel. */
  endChannel(channelIndex: number): void {
    const channel = this.channel(channelIndex);
    if (channel.endQueued) return;
    channel.endQueued = true;
    channel.queue.push(END_OF_PARTITION);
    this.notifyAvailable();
  }

  getNumberOfInputChannels(): number {
    return this.channels.length;
  }

  setup(): Promise<void> {
    this.setupCalls++;
    return Promise.resolve();
  }

  pollNext(): ChannelBufferOrEvent | undefined {
    if (this.closed) return undefined;
    for (let i = 0; i < this.channels.length; i++) {
      const channelIndex = (this.nextChannel + i) % this.channels.length;
      const channel = this.channels[channelIndex];
      if (channel === undefined || channel.blocked) continue;
      const next = channel.queue.shift();
      if (next === undefined) continue;
      this.nextChannel = (channelIndex + 1) % this.channels.length;
      if (next.kind === 'buffer') this.buffersPolled++;
      else if (next.event.type === 'EndOfPartition') channel.ended = true;
      return { ...next, channelIndex };
    }
    return undefined;
  }

  getAvailableFuture(): Promise<void> {
    if (this.closed || this.isFinished() || this.hasData()) return Promise.resolve();
    this.waiter ??= deferred<undefined>();
    return this.waiter.promise;
  }

  blockChannel(channelIndex: number): void {
    this.channel(channelIndex).blocked = true;
  }

  resumeChannel(channelIndex: number): void {
    const channel = this.channel(channelIndex);
    if (!channel.blocked) return;
    channel.blocked = false;
    if (channel.queue.length > 0) this.notifyAvailable();
  }

  resumeAll(): void {
    for (let index = 0; index < this.channels.length; index++) this.resumeChannel(index);
  }

  isFinished(): boolean {
    return this.closed || this.channels.every((channel) => channel.ended);
  }

  isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    this.notifyAvailable();
  }

  private hasData(): boolean {
    return this.channels.some((channel) => !channel.blocked && channel.queue.length > 0);
  }

  private notifyAvailable(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve(undefined);
  }

  private channel(index: number): TestingChannel {
    const channel = this.channels[index];
    if (channel === undefined) throw new IllegalArgumentError(`There is no channel ${index}.`);
    return channel;
  }
}
