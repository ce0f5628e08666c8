import type { BufferOrEvent } from './buffer.js';
import { PartitionReleasedError } from './errors.js';
import type {
  BufferAvailabilityListener,
  ResultSubpartition,
  ResultSubpartitionView,
  SubpartitionOwner,
} from './result-subpartition.js';

/**
 * A subpartition of a BLOCKING result (Flink's BoundedBlockingSubpartition, kept in memory): it
 * keeps every buffer and never makes the writer wait. Any number of readers, each from the start,
 * at any time — also after the producer finished, which is how a restarted consumer region reads
 * it again. It stays until released. Each reader gets its own copy of a buffer's records, since the
 * records of a handed-over buffer belong to the receiver.
 */
export class BoundedBlockingSubpartition implements ResultSubpartition {
  private data: BufferOrEvent[] = [];
  private readonly views = new Set<BoundedBlockingSubpartitionView>();
  private released = false;
  private releaseCause: unknown;

  constructor(
    private readonly owner: SubpartitionOwner,
    readonly subpartitionIndex: number,
  ) {}

  add(bufferOrEvent: BufferOrEvent): void {
    if (this.released) return;
    const caughtUpIndex = this.data.length;
    this.data.push(bufferOrEvent);
    for (const view of this.views) {
      if (view.readIndex === caughtUpIndex) view.notifyDataAvailable();
    }
  }

  createReadView(listener: BufferAvailabilityListener): ResultSubpartitionView {
    if (this.released) throw new PartitionReleasedError(this.owner.partitionId, this.releaseCause);
    const view = new BoundedBlockingSubpartitionView(this, listener);
    this.views.add(view);
    if (this.data.length > 0) listener.notifyDataAvailable();
    return view;
  }

  getNumberOfQueuedBuffers(): number {
    return this.data.length;
  }

  release(cause?: unknown): void {
    if (this.released) return;
    this.released = true;
    this.releaseCause = cause;
    this.data = [];
    for (const view of this.views) view.notifyDataAvailable();
    this.views.clear();
  }

  /** @internal */
  get(index: number): BufferOrEvent | undefined {
    return this.data[index];
  }

  /** @internal */
  size(): number {
    return this.data.length;
  }

  /** @internal */
  isReleased(): boolean {
    return this.released;
  }

  /** @internal */
  getReleaseCause(): unknown {
    return this.releaseCause;
  }

  /** @internal */
  onViewReleased(view: BoundedBlockingSubpartitionView): void {
    this.views.delete(view);
  }
}

/** One reader of a BoundedBlockingSubpartition, with its own position. */
class BoundedBlockingSubpartitionView implements ResultSubpartitionView {
  readIndex = 0;
  private released = false;

  constructor(
    private readonly parent: BoundedBlockingSubpartition,
    private readonly listener: BufferAvailabilityListener,
  ) {}

  pollNext(): BufferOrEvent | undefined {
    if (this.released) return undefined;
    const bufferOrEvent = this.parent.get(this.readIndex);
    if (bufferOrEvent === undefined) return undefined;
    this.readIndex++;
    return bufferOrEvent.kind === 'buffer'
      ? { kind: 'buffer', records: bufferOrEvent.records.slice() }
      : bufferOrEvent;
  }

  isAvailable(): boolean {
    return this.released || this.parent.isReleased() || this.readIndex < this.parent.size();
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
    this.parent.onViewReleased(this);
  }

  notifyDataAvailable(): void {
    if (!this.released) this.listener.notifyDataAvailable();
  }
}
