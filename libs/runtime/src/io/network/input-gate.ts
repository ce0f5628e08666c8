import type { BufferOrEvent } from './buffer.js';

/** A BufferOrEvent with the index of the input channel (within its gate) it came from. */
export type ChannelBufferOrEvent<T = unknown> = BufferOrEvent<T> & { readonly channelIndex: number };

/**
 * The input of a task from one consumed result: one channel per producer partition it reads
 * (Flink's InputGate). Reading never awaits per record: `pollNext()` is synchronous, and
 * `getAvailableFuture()` resolves when an unblocked channel has data (or the gate finished or was
 * closed). Channels can be blocked and resumed one by one, as checkpoint barrier alignment needs.
 */
export interface InputGate {
  /** Number of input channels (producer partitions read). */
  getNumberOfInputChannels(): number;
  /**
   * Connects every channel to its producer's subpartition. Resolves when all are connected;
   * rejects with PartitionNotFoundError when a producer's partition does not appear in time.
   */
  setup(): Promise<void>;
  /** The next buffer or event of any channel with data, or undefined if none has any now. */
  pollNext(): ChannelBufferOrEvent | undefined;
  /** Resolves when `pollNext()` may return something, or the gate is finished or closed. */
  getAvailableFuture(): Promise<void>;
  /** True when every channel delivered EndOfPartition and everything was polled. */
  isFinished(): boolean;
  /**
   * Stops polling channel `channelIndex` (checkpoint barrier alignment): its data stays queued in
   * the channel, so a full queue backpressures its producer, and `pollNext()` skips it until it is
   * resumed. Blocking a blocked or finished channel does nothing.
   */
  blockChannel(channelIndex: number): void;
  /** Polls channel `channelIndex` again (its queued data first). Resuming an unblocked channel does nothing. */
  resumeChannel(channelIndex: number): void;
  /** Resumes every blocked channel. */
  resumeAll(): void;
  /** Releases all channels; pending futures resolve and later polls return undefined. */
  close(): void;
}
