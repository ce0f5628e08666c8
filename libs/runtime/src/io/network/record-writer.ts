import type { RuntimeEvent } from './buffer.js';

/**
 * Writes records of a task to one produced result (Flink's RecordWriter). `emit()` never awaits:
 * it appends the record to the current buffer of the target subpartition(s) chosen by the edge's
 * partitioner and hands the buffer over when it is full. When a subpartition's bounded queue is
 * full the writer becomes unavailable: the task must then await `getAvailableFuture()` before it
 * emits more — at most one await per buffer, which is how backpressure reaches a producer.
 */
export interface RecordWriter<T = unknown> {
  /** Sends `record` to the subpartition(s) the partitioner selects. */
  emit(record: T): void;
  /** Sends `record` to every subpartition. */
  broadcastEmit(record: T): void;
  /** Sends an event to every subpartition, after the records emitted before it. */
  broadcastEvent(event: RuntimeEvent): void;
  /** Hands over every non-empty buffer now. */
  flushAll(): void;
  /** False while a subpartition's queue is full; emitting anyway grows memory past the bound. */
  isAvailable(): boolean;
  /**
   * Resolves when the writer is available again (at once if it is). Rejects when the partition
   * was released, for example because the task was cancelled.
   */
  getAvailableFuture(): Promise<void>;
  /** Flushes, then sends EndOfPartition to every subpartition; no emit may follow. */
  finish(): void;
  getNumberOfSubpartitions(): number;
}
