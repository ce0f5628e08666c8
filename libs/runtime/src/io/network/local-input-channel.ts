import type { ResultPartitionID } from '../../core/ids.js';
import type { BufferOrEvent } from './buffer.js';
import { PartitionReleasedError } from './errors.js';
import type { ResultPartitionManager } from './result-partition-manager.js';
import { isEndOfPartition } from './result-subpartition.js';
import type { BufferAvailabilityListener, ResultSubpartitionView } from './result-subpartition.js';

/** The gate a channel belongs to: told when the channel has data again. */
export interface InputChannelOwner {
  notifyChannelNonEmpty(channel: LocalInputChannel): void;
}

/**
 * Reads one subpartition of a producer's partition in the same process (Flink's
 * LocalInputChannel). `requestSubpartition()` waits for the partition to be registered and opens a
 * view; the view's availability notifications go to the owning gate, which polls the channel
 * synchronously. A released partition makes `pollNext()` throw PartitionReleasedError, so the
 * consuming task fails.
 */
export class LocalInputChannel implements BufferAvailabilityListener {
  /** @internal Maintained by the owning gate: whether the channel is in its queue of channels with data. */
  enqueued = false;
  /** @internal Maintained by the owning gate: whether the gate skips this channel (barrier alignment). */
  blocked = false;
  private view: ResultSubpartitionView | undefined;
  private finished = false;
  private closed = false;

  constructor(
    private readonly owner: InputChannelOwner,
    readonly channelIndex: number,
    readonly partitionId: ResultPartitionID,
    readonly subpartitionIndex: number,
    private readonly partitionManager: ResultPartitionManager,
    private readonly requestTimeoutMs: number,
  ) {}

  /**
   * Connects to the producer's subpartition, waiting up to the request timeout for the partition to
   * be registered. Rejects with PartitionNotFoundError when it does not appear in time.
   */
  async requestSubpartition(signal?: AbortSignal): Promise<void> {
    if (this.view !== undefined || this.closed) return;
    const partition = await this.partitionManager.waitForPartition(
      this.partitionId,
      this.requestTimeoutMs,
      signal,
    );
    if (this.isClosed()) return;
    this.view = partition.createSubpartitionView(this.subpartitionIndex, this);
  }

  notifyDataAvailable(): void {
    if (!this.closed && !this.finished) this.owner.notifyChannelNonEmpty(this);
  }

  /**
   * The next buffer or event, or undefined if none is there now.
   * @throws PartitionReleasedError when the producer's partition was released
   */
  pollNext(): BufferOrEvent | undefined {
    const view = this.view;
    if (view === undefined || this.finished || this.closed) return undefined;
    const bufferOrEvent = view.pollNext();
    if (bufferOrEvent === undefined) {
      if (view.isReleased()) throw new PartitionReleasedError(this.partitionId, view.getFailureCause());
      return undefined;
    }
    if (isEndOfPartition(bufferOrEvent)) {
      this.finished = true;
      view.releaseAllResources();
    }
    return bufferOrEvent;
  }

  /** Whether another poll may return something (or throw) right away. */
  hasMoreData(): boolean {
    return !this.finished && !this.closed && this.view !== undefined && this.view.isAvailable();
  }

  isFinished(): boolean {
    return this.finished;
  }

  isClosed(): boolean {
    return this.closed;
  }

  isConnected(): boolean {
    return this.view !== undefined;
  }

  /** Releases the view; the channel reads nothing more. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.view?.releaseAllResources();
  }
}
