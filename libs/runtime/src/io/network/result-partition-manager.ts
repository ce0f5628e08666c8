import { SystemScheduledExecutor } from '../../core/clock.js';
import type { ScheduledExecutor, ScheduledTask } from '../../core/clock.js';
import { ComponentClosedError, IllegalStateError } from '../../core/errors.js';
import { ResultPartitionID } from '../../core/ids.js';
import type { JobID } from '../../core/ids.js';
import { PartitionNotFoundError } from './errors.js';
import type { ResultPartition } from './result-partition.js';
import type { BufferAvailabilityListener, ResultSubpartitionView } from './result-subpartition.js';

interface Waiter {
  readonly resolve: (partition: ResultPartition) => void;
  readonly reject: (error: Error) => void;
  readonly timer: ScheduledTask;
  readonly detach: () => void;
}

/**
 * The registry of the result partitions produced in this process, by `ResultPartitionID.key()`
 * (Flink's ResultPartitionManager). Consumers open subpartition views through it; a consumer may
 * ask before its producer registered (both are deployed at the same time) and then waits up to a
 * timeout. A released partition leaves the registry, whoever released it. In a MiniCluster all
 * TaskExecutors share one manager, so local channels connect across them.
 */
export class ResultPartitionManager {
  private readonly partitions = new Map<string, ResultPartition>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private shutDown = false;

  constructor(private readonly executor: ScheduledExecutor = SystemScheduledExecutor) {}

  /** Adds a partition; consumers waiting for it connect now. */
  registerResultPartition(partition: ResultPartition): void {
    if (this.shutDown) throw new ComponentClosedError('The result partition manager is shut down.');
    const key = ResultPartitionID.key(partition.partitionId);
    if (partition.isReleased())
      throw new IllegalStateError(`Cannot register released ${partition.toString()}.`);
    if (this.partitions.has(key))
      throw new IllegalStateError(`Result partition ${key} is already registered.`);
    this.partitions.set(key, partition);
    partition.onRelease(() => {
      if (this.partitions.get(key) === partition) this.partitions.delete(key);
    });
    const waiting = this.waiters.get(key);
    if (waiting === undefined) return;
    this.waiters.delete(key);
    for (const waiter of waiting) {
      waiter.timer.cancel();
      waiter.detach();
      waiter.resolve(partition);
    }
  }

  getPartition(partitionId: ResultPartitionID): ResultPartition | undefined {
    return this.partitions.get(ResultPartitionID.key(partitionId));
  }

  /**
   * Opens a reader of a registered partition's subpartition.
   * @throws PartitionNotFoundError when the partition is not registered
   */
  createSubpartitionView(
    partitionId: ResultPartitionID,
    subpartitionIndex: number,
    listener: BufferAvailabilityListener,
  ): ResultSubpartitionView {
    const partition = this.getPartition(partitionId);
    if (partition === undefined) throw new PartitionNotFoundError(partitionId);
    return partition.createSubpartitionView(subpartitionIndex, listener);
  }

  /**
   * Resolves with the partition once it is registered (at once if it is). Rejects with
   * PartitionNotFoundError after `timeoutMs`, and with ComponentClosedError when `signal` aborts or
   * the manager shuts down.
   */
  waitForPartition(
    partitionId: ResultPartitionID,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<ResultPartition> {
    const partition = this.getPartition(partitionId);
    if (partition !== undefined) return Promise.resolve(partition);
    if (this.shutDown)
      return Promise.reject(new ComponentClosedError('The result partition manager is shut down.'));
    if (signal?.aborted === true) return Promise.reject(abortError(partitionId));
    const key = ResultPartitionID.key(partitionId);
    return new Promise<ResultPartition>((resolve, reject) => {
      let waiting = this.waiters.get(key);
      if (waiting === undefined) {
        waiting = new Set();
        this.waiters.set(key, waiting);
      }
      const set = waiting;
      const remove = (): void => {
        set.delete(waiter);
        if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
      };
      const onAbort = (): void => {
        waiter.timer.cancel();
        remove();
        reject(abortError(partitionId));
      };
      const waiter: Waiter = {
        resolve,
        reject,
        timer: this.executor.schedule(() => {
          remove();
          waiter.detach();
          reject(new PartitionNotFoundError(partitionId));
        }, timeoutMs),
        detach: () => signal?.removeEventListener('abort', onAbort),
      };
      set.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Releases a partition and removes it; does nothing if it is not registered. */
  releasePartition(partitionId: ResultPartitionID, cause?: unknown): void {
    this.getPartition(partitionId)?.release(cause);
  }

  /** Releases every partition produced by a task of `jobId`. */
  releasePartitionsOfJob(jobId: JobID, cause?: unknown): void {
    for (const partition of [...this.partitions.values()]) {
      if (partition.jobId === jobId) partition.release(cause);
    }
  }

  getNumberOfRegisteredPartitions(): number {
    return this.partitions.size;
  }

  /** Releases every partition and fails every waiting consumer. */
  shutdown(): void {
    if (this.shutDown) return;
    this.shutDown = true;
    const cause = new ComponentClosedError('The result partition manager is shut down.');
    for (const partition of [...this.partitions.values()]) partition.release(cause);
    for (const waiting of this.waiters.values()) {
      for (const waiter of waiting) {
        waiter.timer.cancel();
        waiter.detach();
        waiter.reject(cause);
      }
    }
    this.waiters.clear();
  }
}

function abortError(partitionId: ResultPartitionID): ComponentClosedError {
  return new ComponentClosedError(
    `Stopped waiting for partition ${ResultPartitionID.key(partitionId)}: the input gate was closed.`,
  );
}
