import { deferred } from '../../core/async.js';
import type { Deferred } from '../../core/async.js';
import { IllegalArgumentError } from '../../core/errors.js';
import type { ResultPartitionID } from '../../core/ids.js';
import { ArrayDeque } from './array-deque.js';
import type { ChannelBufferOrEvent, InputGate } from './input-gate.js';
import { LocalInputChannel } from './local-input-channel.js';
import type { InputChannelOwner } from './local-input-channel.js';
import type { ResultPartitionManager } from './result-partition-manager.js';

export interface SingleInputGateOptions {
  /** For messages. */
  readonly owningTaskName?: string;
  /** The producer partitions read, one channel each, in channel order. */
  readonly partitionIds: readonly ResultPartitionID[];
  /** The subpartition read from every partition. */
  readonly subpartitionIndex: number;
  readonly partitionManager: ResultPartitionManager;
  /** How long a channel waits for its producer's partition (`taskmanager.network.request-backoff.max`). */
  readonly requestTimeoutMs: number;
}

const AVAILABLE: Promise<void> = Promise.resolve();

/**
 * The input of a task from one consumed result, one local channel per producer partition (Flink's
 * SingleInputGate). Channels that have data wait in a FIFO queue (Flink's inputChannelsWithData),
 * so `pollNext()` is O(1) and round robin: a channel that still has data after a poll goes to the
 * back of the queue. EndOfPartition events are returned too and end their channel; the gate is
 * finished when every channel ended. A closed gate delivers nothing more and counts as finished
 * (the task tells a cancellation from the end of its input by its cancellation signal).
 *
 * A blocked channel (barrier alignment) leaves the queue at its next turn without being polled and
 * is not queued again until it is resumed, so its data stays in the producer's subpartition, whose
 * bound then backpressures the producer.
 */
export class SingleInputGate implements InputGate, InputChannelOwner {
  readonly owningTaskName: string;
  private readonly channels: LocalInputChannel[];
  private readonly channelsWithData: ArrayDeque<LocalInputChannel>;
  private readonly closeController = new AbortController();
  private numberOfFinishedChannels = 0;
  private availability: Deferred<void> | undefined;
  private setupPromise: Promise<void> | undefined;
  private closed = false;

  constructor(options: SingleInputGateOptions) {
    this.owningTaskName = options.owningTaskName ?? 'unknown task';
    this.channels = options.partitionIds.map(
      (partitionId, index) =>
        new LocalInputChannel(
          this,
          index,
          partitionId,
          options.subpartitionIndex,
          options.partitionManager,
          options.requestTimeoutMs,
        ),
    );
    this.channelsWithData = new ArrayDeque(this.channels.length);
  }

  getNumberOfInputChannels(): number {
    return this.channels.length;
  }

  getChannel(index: number): LocalInputChannel | undefined {
    return this.channels[index];
  }

  /**
   * Requests every channel's subpartition at once. Rejects with PartitionNotFoundError when a
   * producer's partition is not registered within the request timeout, and with
   * ComponentClosedError when the gate is closed first. Calling it again returns the same promise.
   */
  setup(): Promise<void> {
    this.setupPromise ??= Promise.all(
      this.channels.map((channel) => channel.requestSubpartition(this.closeController.signal)),
    ).then(() => undefined);
    return this.setupPromise;
  }

  pollNext(): ChannelBufferOrEvent | undefined {
    if (this.closed) return undefined;
    const queue = this.channelsWithData;
    for (;;) {
      const channel = queue.peek();
      if (channel === undefined) return undefined;
      if (channel.blocked) {
        queue.shift();
        channel.enqueued = false;
        continue;
      }
      // Polled before it leaves the queue: if the poll throws, the channel stays and throws again.
      const bufferOrEvent = channel.pollNext();
      queue.shift();
      if (bufferOrEvent === undefined) {
        channel.enqueued = false;
        continue;
      }
      if (channel.hasMoreData()) queue.push(channel);
      else channel.enqueued = false;
      if (bufferOrEvent.kind === 'buffer') {
        return { kind: 'buffer', records: bufferOrEvent.records, channelIndex: channel.channelIndex };
      }
      if (bufferOrEvent.event.type === 'EndOfPartition') this.numberOfFinishedChannels++;
      return { kind: 'event', event: bufferOrEvent.event, channelIndex: channel.channelIndex };
    }
  }

  getAvailableFuture(): Promise<void> {
    if (this.closed || !this.channelsWithData.isEmpty() || this.isFinished()) return AVAILABLE;
    this.availability ??= deferred();
    return this.availability.promise;
  }

  isFinished(): boolean {
    return this.closed || this.numberOfFinishedChannels === this.channels.length;
  }

  /** Releases every channel's view and stops waiting for producers. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeController.abort();
    for (const channel of this.channels) channel.close();
    this.channelsWithData.clear();
    this.wakeUp();
  }

  blockChannel(channelIndex: number): void {
    this.channelAt(channelIndex).blocked = true;
  }

  resumeChannel(channelIndex: number): void {
    const channel = this.channelAt(channelIndex);
    if (!channel.blocked) return;
    channel.blocked = false;
    if (channel.hasMoreData()) this.notifyChannelNonEmpty(channel);
  }

  resumeAll(): void {
    for (const channel of this.channels) {
      if (!channel.blocked) continue;
      channel.blocked = false;
      if (channel.hasMoreData()) this.notifyChannelNonEmpty(channel);
    }
  }

  /** @internal */
  notifyChannelNonEmpty(channel: LocalInputChannel): void {
    if (channel.enqueued || channel.blocked || this.closed) return;
    channel.enqueued = true;
    this.channelsWithData.push(channel);
    this.wakeUp();
  }

  private channelAt(channelIndex: number): LocalInputChannel {
    const channel = this.channels[channelIndex];
    if (channel === undefined) {
      throw new IllegalArgumentError(
        `${this.owningTaskName}: there is no input channel ${channelIndex} (of ${this.channels.length}).`,
      );
    }
    return channel;
  }

  private wakeUp(): void {
    const waiting = this.availability;
    if (waiting === undefined) return;
    this.availability = undefined;
    waiting.resolve();
  }
}
