import type { ResultPartitionID } from '../../core/ids.js';
import type { BufferOrEvent } from './buffer.js';

/**
 * Told by a subpartition view when data became available after the reader found none (Flink's
 * BufferAvailabilityListener): a transition from empty to non-empty, and also a release, so the
 * reader wakes up and learns about it.
 */
export interface BufferAvailabilityListener {
  notifyDataAvailable(): void;
}

/**
 * The reading end of one subpartition, held by exactly one input channel (Flink's
 * ResultSubpartitionView). All methods are synchronous.
 */
export interface ResultSubpartitionView {
  /** The next buffer or event, or undefined if there is none now (or the subpartition was released). */
  pollNext(): BufferOrEvent | undefined;
  /** True if `pollNext()` would return something now, or the view was released. */
  isAvailable(): boolean;
  /** True once the subpartition or this view was released. */
  isReleased(): boolean;
  /** Why the subpartition was released, if a cause was given. */
  getFailureCause(): unknown;
  /** The reader is done (or gives up): frees what the view holds. Idempotent. */
  releaseAllResources(): void;
}

/** One subpartition of a ResultPartition: the data for one consumer subtask. */
export interface ResultSubpartition {
  readonly subpartitionIndex: number;
  /** Appends a buffer or event; the subpartition owns it from now on. */
  add(bufferOrEvent: BufferOrEvent): void;
  /**
   * Opens a reader. A pipelined subpartition allows exactly one; a blocking one any number, each
   * reading from the start. Throws PartitionReleasedError when released.
   */
  createReadView(listener: BufferAvailabilityListener): ResultSubpartitionView;
  /** Buffers and events queued (pipelined) or held (blocking) now. */
  getNumberOfQueuedBuffers(): number;
  /** Drops the data; readers see the release on their next poll. Idempotent. */
  release(cause?: unknown): void;
}

/** What a subpartition reports to its partition. */
export interface SubpartitionOwner {
  readonly partitionId: ResultPartitionID;
  /** The subpartition's queue reached its bound: the writer must wait. */
  onSubpartitionFull(): void;
  /** The subpartition's queue went below its bound again. */
  onSubpartitionNotFull(): void;
  /** A pipelined subpartition was read to its end (or its reader left): it will never be read again. */
  onConsumedSubpartition(subpartitionIndex: number): void;
}

/** Whether a buffer or event is the EndOfPartition event. */
export function isEndOfPartition(bufferOrEvent: BufferOrEvent): boolean {
  return bufferOrEvent.kind === 'event' && bufferOrEvent.event.type === 'EndOfPartition';
}
