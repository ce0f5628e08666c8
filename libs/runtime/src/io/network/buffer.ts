import type { CheckpointOptions } from '../../checkpoint/checkpoint-types.js';

/** An in-band event travelling between tasks in order with the records. */
export type RuntimeEvent =
  /** The producer finished this subpartition: nothing follows. */
  | { readonly type: 'EndOfPartition' }
  /** The producer has no more records but may still send events (Flink's EndOfData). */
  | { readonly type: 'EndOfData' }
  /**
   * Checkpoint barrier `checkpointId` (Flink's CheckpointBarrier): every record before it belongs to
   * the snapshot, every record after it does not. Sources inject it; tasks align and forward it.
   */
  | {
      readonly type: 'CheckpointBarrier';
      readonly checkpointId: number;
      readonly timestamp: number;
      readonly options: CheckpointOptions;
    };

/** A checkpoint barrier event. */
export type CheckpointBarrier = Extract<RuntimeEvent, { type: 'CheckpointBarrier' }>;

/**
 * What a channel hands over: a batch of records (Eddy's in-memory buffer) or an event. A buffer is
 * never empty; the records array belongs to the receiver once handed over.
 */
export type BufferOrEvent<T = unknown> =
  | { readonly kind: 'buffer'; readonly records: readonly T[] }
  | { readonly kind: 'event'; readonly event: RuntimeEvent };

export const END_OF_PARTITION: BufferOrEvent<never> = { kind: 'event', event: { type: 'EndOfPartition' } };
