/** An in-band event travelling between tasks in order with the records. */
export type RuntimeEvent =
  /** The producer finished this subpartition: nothing follows. */
  | { readonly type: 'EndOfPartition' }
  /** The producer has no more records but may still send events (Flink's EndOfData). */
  | { readonly type: 'EndOfData' };

/**
 * What a channel hands over: a batch of records (Eddy's in-memory buffer) or an event. A buffer is
 * never empty; the records array belongs to the receiver once handed over.
 */
export type BufferOrEvent<T = unknown> =
  | { readonly kind: 'buffer'; readonly records: readonly T[] }
  | { readonly kind: 'event'; readonly event: RuntimeEvent };

export const END_OF_PARTITION: BufferOrEvent<never> = { kind: 'event', event: { type: 'EndOfPartition' } };
