import { IllegalStateError } from '../../core/errors.js';
import { ArrayDeque } from './array-deque.js';
import type { BufferOrEvent } from './buffer.js';
import { PartitionReleasedError } from './errors.js';
import { isEndOfPartition } from './result-subpartition.js';
import type {
  BufferAvailabilityListener,
  ResultSubpartition,
  ResultSubpartitionView,
  SubpartitionOwner,
} from './result-subpartition.js';

/**
 * A subpartition of a PIPELINED(_BOUNDED) result (Flink's PipelinedSubpartition): a queue of
 * buffers streamed to exactly one reader while the producer runs. The queue is bounded by
 * `buffersPerChannel`: when it holds that many buffers or events the owner partition becomes
 * unavailable, and it becomes available again when the reader drains the queue below the bound.
 * Once the reader polled EndOfPartition, or released its view early, the subpartition is consumed:
 * its data is dropped and later adds are discarded.
 */
export class PipelinedSubpartition implements ResultSubpartition {
  private readonly queue = new ArrayDeque<BufferOrEvent>(8);
  private view: PipelinedSubpartitionView | undefined;
  private hadView = false;
  private consumed = false;
  private released = false;
  private releaseCause: unknown;

  constructor(
    private readonly owner: SubpartitionOwner,
    readonly subpartitionIndex: number,
    private readonly bound: number,
  ) {}

  add(bufferOrEvent: BufferOrEvent): void {
    if (this.consumed || this.released) return;
    const queue = this.queue;
    queue.push(bufferOrEvent);
    const size = queue.size;
    if (size === this.bound) this.owner.onSubpartitionFull();
    if (size === 1 && this.view !== undefined) this.view.notifyDataAvailable();
  }

  createReadView(listener: BufferAvailabilityListener): ResultSubpartitionView {
    if (this.released) throw new PartitionReleasedError(this.owner.partitionId, this.releaseCause);
    if (this.hadView) {
      throw new IllegalStateError(
        `Subpartition ${this.subpartitionIndex} of a pipelined partition can be read only once.`,
      );
    }
    this.hadView = true;
    const view = new PipelinedSubpartitionView(this, listener);
    this.view = view;
    if (!this.queue.isEmpty()) listener.notifyDataAvailable();
    return view;
  }

  getNumberOfQueuedBuffers(): number {
    return this.queue.size;
  }

  release(cause?: unknown): void {
    if (this.released) return;
    this.released = true;
    this.releaseCause = cause;
    this.dropQueue();
    this.view?.notifyDataAvailable();
  }

  /** @internal the view's poll */
  poll(): BufferOrEvent | undefined {
    const queue = this.queue;
    const bufferOrEvent = queue.shift();
    if (bufferOrEvent === undefined) return undefined;
    if (queue.size === this.bound - 1) this.owner.onSubpartitionNotFull();
    if (isEndOfPartition(bufferOrEvent)) this.markConsumed();
    return bufferOrEvent;
  }

  /** @internal */
  hasDataOrReleased(): boolean {
    return this.released || !this.queue.isEmpty();
  }

  /** @internal */
  isReleased(): boolean {
    return this.released;
  }

  /** @internal */
  getReleaseCause(): unknown {
    return this.releaseCause;
  }

  /** @internal the reader released its view (after the end, or early because it gave up) */
  onViewReleased(): void {
    this.markConsumed();
  }

  private markConsumed(): void {
    if (this.consumed) return;
    this.consumed = true;
    this.dropQueue();
    this.owner.onConsumedSubpartition(this.subpartitionIndex);
  }

  private dropQueue(): void {
    if (this.queue.size >= this.bound) this.owner.onSubpartitionNotFull();
    this.queue.clear();
  }
}

/** The one reader of a PipelinedSubpartition. */
class PipelinedSubpartitionView implements ResultSubpartitionView {
  private released = false;

  constructor(
    private readonly parent: PipelinedSubpartition,
    private readonly listener: BufferAvailabilityListener,
  ) {}

  pollNext(): BufferOrEvent | undefined {
    return this.released ? undefined : this.parent.poll();
  }

  isAvailable(): boolean {
    return this.released || this.parent.hasDataOrReleased();
  }

  isReleased(): boolean {
    return this.released || this.parent.isReleased();
  }

  getFailureCause(): unknown {
    return this.parent.getReleaseCause();
  }

  releaseAllResources(): void {
    if (this.released) return;
    this.released = true;
    this.parent.onViewReleased();
  }

  notifyDataAvailable(): void {
    if (!this.released) this.listener.notifyDataAvailable();
  }
}
