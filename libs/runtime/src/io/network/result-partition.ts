import { deferred } from '../../core/async.js';
import type { Deferred } from '../../core/async.js';
import { IllegalArgumentError, IllegalStateError } from '../../core/errors.js';
import type { JobID, ResultPartitionID } from '../../core/ids.js';
import { ResultPartitionType } from '../../jobgraph/enums.js';
import { BoundedBlockingSubpartition } from './bounded-blocking-subpartition.js';
import { END_OF_PARTITION } from './buffer.js';
import type { BufferOrEvent, RuntimeEvent } from './buffer.js';
import { PartitionReleasedError } from './errors.js';
import { PipelinedSubpartition } from './pipelined-subpartition.js';
import type {
  BufferAvailabilityListener,
  ResultSubpartition,
  ResultSubpartitionView,
  SubpartitionOwner,
} from './result-subpartition.js';

/** Lifecycle of a partition: written while PRODUCING, complete once FINISHED, gone once RELEASED. */
export type ResultPartitionState = 'PRODUCING' | 'FINISHED' | 'RELEASED';

function transition(from: ResultPartitionState, to: ResultPartitionState): ResultPartitionState {
  switch (from) {
    case 'PRODUCING':
      return to;
    case 'FINISHED':
      if (to === 'RELEASED') return to;
      break;
    case 'RELEASED':
      break;
  }
  throw new IllegalStateError(`A result partition cannot go from ${from} to ${to}.`);
}

export interface ResultPartitionOptions {
  readonly partitionId: ResultPartitionID;
  readonly jobId: JobID;
  readonly partitionType: ResultPartitionType;
  readonly numberOfSubpartitions: number;
  /** Bound of each pipelined subpartition's queue (`taskmanager.network.memory.buffers-per-channel`). */
  readonly buffersPerChannel: number;
  /** For messages. */
  readonly owningTaskName?: string;
}

const AVAILABLE: Promise<void> = Promise.resolve();

/**
 * The output of one task attempt for one produced result (Flink's ResultPartition): one
 * subpartition per consumer subtask. PIPELINED and PIPELINED_BOUNDED partitions stream through
 * bounded queues to one reader per subpartition and make the writer wait while any queue is at its
 * bound; once every subpartition was read to its end, the partition releases itself. BLOCKING
 * partitions keep all data in memory for any number of readers until released explicitly.
 *
 * `release(cause)` drops the data, rejects a waiting writer with PartitionReleasedError, and lets
 * the readers see the release on their next poll.
 */
export class ResultPartition implements SubpartitionOwner {
  readonly partitionId: ResultPartitionID;
  readonly jobId: JobID;
  readonly partitionType: ResultPartitionType;
  readonly owningTaskName: string;
  private readonly subpartitions: ResultSubpartition[];
  private state: ResultPartitionState = 'PRODUCING';
  private releaseCause: unknown;
  private numberOfFullSubpartitions = 0;
  private numberOfConsumedSubpartitions = 0;
  private availability: Deferred<void> | undefined;
  private readonly releaseListeners: ((cause: unknown) => void)[] = [];

  constructor(options: ResultPartitionOptions) {
    const { numberOfSubpartitions, buffersPerChannel } = options;
    if (!Number.isSafeInteger(numberOfSubpartitions) || numberOfSubpartitions < 1) {
      throw new IllegalArgumentError(`A partition needs >= 1 subpartitions, got ${numberOfSubpartitions}.`);
    }
    if (!Number.isSafeInteger(buffersPerChannel) || buffersPerChannel < 1) {
      throw new IllegalArgumentError(`buffersPerChannel must be >= 1, got ${buffersPerChannel}.`);
    }
    this.partitionId = options.partitionId;
    this.jobId = options.jobId;
    this.partitionType = options.partitionType;
    this.owningTaskName = options.owningTaskName ?? 'unknown task';
    this.subpartitions = [];
    const blocking = options.partitionType === ResultPartitionType.BLOCKING;
    for (let i = 0; i < numberOfSubpartitions; i++) {
      this.subpartitions.push(
        blocking
          ? new BoundedBlockingSubpartition(this, i)
          : new PipelinedSubpartition(this, i, buffersPerChannel),
      );
    }
  }

  getNumberOfSubpartitions(): number {
    return this.subpartitions.length;
  }

  getState(): ResultPartitionState {
    return this.state;
  }

  isReleased(): boolean {
    return this.state === 'RELEASED';
  }

  isFinished(): boolean {
    return this.state === 'FINISHED';
  }

  /** The cause given to `release()`, if any. */
  getReleaseCause(): unknown {
    return this.releaseCause;
  }

  /** Hands a non-empty buffer of records to a subpartition; the partition owns the array from now on. */
  addBuffer(subpartitionIndex: number, records: readonly unknown[]): void {
    if (this.state !== 'PRODUCING') this.checkProducing();
    this.subpartition(subpartitionIndex).add({ kind: 'buffer', records });
  }

  /** Appends an event to every subpartition, after what they hold. */
  broadcastEvent(event: RuntimeEvent): void {
    this.checkProducing();
    const bufferOrEvent: BufferOrEvent =
      event.type === 'EndOfPartition' ? END_OF_PARTITION : { kind: 'event', event };
    for (const subpartition of this.subpartitions) subpartition.add(bufferOrEvent);
  }

  /** Ends every subpartition with EndOfPartition; nothing may be added afterwards. */
  finish(): void {
    this.checkProducing();
    for (const subpartition of this.subpartitions) subpartition.add(END_OF_PARTITION);
    this.state = transition(this.state, 'FINISHED');
  }

  /** Drops the data; waiting writers and readers fail with PartitionReleasedError. Idempotent. */
  release(cause?: unknown): void {
    if (this.state === 'RELEASED') return;
    this.state = transition(this.state, 'RELEASED');
    this.releaseCause = cause;
    for (const subpartition of this.subpartitions) subpartition.release(cause);
    this.numberOfFullSubpartitions = 0;
    const waiting = this.availability;
    this.availability = undefined;
    waiting?.reject(new PartitionReleasedError(this.partitionId, cause));
    for (const listener of this.releaseListeners.splice(0)) listener(cause);
  }

  /** Runs `listener` once when the partition is released (at once if it already is). */
  onRelease(listener: (cause: unknown) => void): void {
    if (this.state === 'RELEASED') listener(this.releaseCause);
    else this.releaseListeners.push(listener);
  }

  /** Opens a reader of one subpartition (see ResultSubpartition.createReadView). */
  createSubpartitionView(
    subpartitionIndex: number,
    listener: BufferAvailabilityListener,
  ): ResultSubpartitionView {
    if (this.state === 'RELEASED') throw new PartitionReleasedError(this.partitionId, this.releaseCause);
    return this.subpartition(subpartitionIndex).createReadView(listener);
  }

  /** False while a pipelined subpartition's queue is at its bound, and once released. */
  isAvailable(): boolean {
    return this.numberOfFullSubpartitions === 0 && this.state !== 'RELEASED';
  }

  /**
   * Resolves when no subpartition's queue is at its bound (at once if none is). A waiting writer is
   * resumed from `setImmediate`, so it also yields to the event loop. Rejects with
   * PartitionReleasedError once the partition is released.
   */
  getAvailableFuture(): Promise<void> {
    if (this.state === 'RELEASED') {
      return Promise.reject(new PartitionReleasedError(this.partitionId, this.releaseCause));
    }
    if (this.numberOfFullSubpartitions === 0) return AVAILABLE;
    this.availability ??= deferred();
    return this.availability.promise;
  }

  /** Buffers and events queued in (pipelined) or held by (blocking) a subpartition now. */
  getNumberOfQueuedBuffers(subpartitionIndex: number): number {
    return this.subpartition(subpartitionIndex).getNumberOfQueuedBuffers();
  }

  /** @internal */
  onSubpartitionFull(): void {
    if (this.state !== 'RELEASED') this.numberOfFullSubpartitions++;
  }

  /** @internal */
  onSubpartitionNotFull(): void {
    if (this.state === 'RELEASED' || --this.numberOfFullSubpartitions > 0) return;
    const waiting = this.availability;
    if (waiting === undefined) return;
    this.availability = undefined;
    setImmediate(() => {
      waiting.resolve();
    });
  }

  /** @internal */
  onConsumedSubpartition(): void {
    if (++this.numberOfConsumedSubpartitions === this.subpartitions.length) this.release();
  }

  toString(): string {
    return `ResultPartition ${this.partitionId.partitionId}@${this.partitionId.producerId} [${this.partitionType}, ${this.subpartitions.length} subpartitions, ${this.state}] of ${this.owningTaskName}`;
  }

  private subpartition(index: number): ResultSubpartition {
    const subpartition = this.subpartitions[index];
    if (subpartition === undefined) {
      throw new IllegalArgumentError(
        `Subpartition ${index} is out of range [0, ${this.subpartitions.length}).`,
      );
    }
    return subpartition;
  }

  private checkProducing(): void {
    if (this.state === 'RELEASED') throw new PartitionReleasedError(this.partitionId, this.releaseCause);
    if (this.state === 'FINISHED') throw new IllegalStateError(`${this.toString()} is already finished.`);
  }
}
