import { IllegalStateError } from '../../core/errors.js';
import type { RuntimeEvent } from '../../io/network/buffer.js';
import type { RecordWriter } from '../../io/network/record-writer.js';
import type { TaskIOMetrics } from '../environment.js';

/** How a {@link TestingRecordWriter} behaves. */
export interface TestingRecordWriterOptions {
  /** Default 1. */
  readonly numberOfSubpartitions?: number;
  /** `isAvailable()` answers false this many times before it answers true again. Default 0. */
  readonly unavailableChecks?: number;
  /** Counts emitted records into `numRecordsOut` when given. */
  readonly ioMetrics?: TaskIOMetrics;
}

/**
 * A record writer for tests: it keeps every emitted record, in order, and counts how the task
 * used it. It can pretend to be full for a number of `isAvailable()` checks to drive the
 * backpressure path; its availability future then resolves on the next turn of the event loop.
 * After {@link release} the future rejects, as a real writer's does when its partition is
 * released, and emitting after {@link finish} or release throws.
 */
export class TestingRecordWriter<T = unknown> implements RecordWriter<T> {
  /** Every record emitted or broadcast, in order. */
  readonly records: T[] = [];
  /** The broadcast records only. */
  readonly broadcastRecords: T[] = [];
  readonly events: RuntimeEvent[] = [];
  availabilityChecks = 0;
  /** Calls of `getAvailableFuture()`: how often the task waited. */
  availabilityWaits = 0;
  flushes = 0;
  finished = false;
  private unavailableChecks: number;
  private releaseCause: Error | undefined;
  private readonly numberOfSubpartitions: number;

  constructor(private readonly options: TestingRecordWriterOptions = {}) {
    this.numberOfSubpartitions = options.numberOfSubpartitions ?? 1;
    this.unavailableChecks = options.unavailableChecks ?? 0;
  }

  /** Makes the next `checks` calls of `isAvailable()` answer false. */
  makeUnavailableFor(checks: number): void {
    this.unavailableChecks = checks;
  }

  emit(record: T): void {
    this.checkWritable();
    this.records.push(record);
    if (this.options.ioMetrics !== undefined) this.options.ioMetrics.numRecordsOut++;
  }

  broadcastEmit(record: T): void {
    this.emit(record);
    this.broadcastRecords.push(record);
  }

  broadcastEvent(event: RuntimeEvent): void {
    this.checkWritable();
    this.events.push(event);
  }

  flushAll(): void {
    this.flushes++;
  }

  isAvailable(): boolean {
    this.availabilityChecks++;
    if (this.releaseCause !== undefined) return false;
    if (this.unavailableChecks > 0) {
      this.unavailableChecks--;
      return false;
    }
    return true;
  }

  getAvailableFuture(): Promise<void> {
    this.availabilityWaits++;
    return new Promise((resolve, reject) => {
      setImmediate(() => {
        if (this.releaseCause !== undefined) reject(this.releaseCause);
        else resolve();
      });
    });
  }

  finish(): void {
    this.checkWritable();
    this.finished = true;
    this.events.push({ type: 'EndOfPartition' });
  }

  /** Releases the writer: waits reject with `cause` and emitting throws. */
  release(cause: Error = new IllegalStateError('The partition was released.')): void {
    this.releaseCause ??= cause;
  }

  isReleased(): boolean {
    return this.releaseCause !== undefined;
  }

  getNumberOfSubpartitions(): number {
    return this.numberOfSubpartitions;
  }

  private checkWritable(): void {
    if (this.releaseCause !== undefined) throw this.releaseCause;
    if (this.finished)
      throw new IllegalStateError('The writer was finished: nothing may be emitted after finish().');
  }
}
