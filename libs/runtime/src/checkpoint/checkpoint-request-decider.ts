import type { Clock } from '../core/clock.js';
import type { Deferred } from '../core/async.js';
import { IllegalArgumentError } from '../core/errors.js';
import { CheckpointException, isSavepoint } from './checkpoint-types.js';
import type { SavepointFormatType, SnapshotType } from './checkpoint-types.js';
import type { CompletedCheckpoint } from './completed-checkpoint.js';

/** Flink's bound on queued trigger requests. */
export const DEFAULT_MAX_QUEUED_CHECKPOINT_REQUESTS = 1000;

/** A request to trigger a snapshot, queued until the coordinator may execute it. */
export interface CheckpointTriggerRequest {
  readonly snapshotType: SnapshotType;
  readonly savepointFormat: SavepointFormatType | null;
  /** With SYNC_SAVEPOINT: sources end their input first (stop --drain). */
  readonly drain: boolean;
  /** Savepoint directory, or null for the configured default (and always null for checkpoints). */
  readonly targetLocation: string | null;
  /** Triggered by the periodic scheduler (subject to min pause; failed when the scheduler stops). */
  readonly isPeriodic: boolean;
  /** When it was requested (wall clock, ms): older requests go first. */
  readonly timestamp: number;
  /** Creation order, breaking ties between equal timestamps. */
  readonly sequence: number;
  readonly completion: Deferred<CompletedCheckpoint>;
}

/** Savepoints are forced: neither max-concurrent-checkpoints nor min pause hold them back. */
export function isForcedRequest(request: CheckpointTriggerRequest): boolean {
  return isSavepoint(request.snapshotType);
}

/**
 * Decides whether a trigger request is executed now, queued or dropped (Flink's
 * CheckpointRequestDecider). Queue order: savepoints, then manual before periodic, then oldest.
 * With `maxConcurrentCheckpoints` pending only a forced request (a savepoint) may go; a periodic
 * request arriving before `minPause` has passed since the last completion is failed with
 * MINIMUM_TIME_BETWEEN_CHECKPOINTS and the periodic trigger is rescheduled to when it has. At most
 * `maxQueuedRequests` wait; beyond that a periodic request is dropped first, then the new one
 * (TOO_MANY_CHECKPOINT_REQUESTS).
 */
export class CheckpointRequestDecider {
  /** Sorted by {@link compareRequests}. */
  private readonly queuedRequests: CheckpointTriggerRequest[] = [];

  constructor(
    private readonly options: {
      readonly maxConcurrentCheckpoints: number;
      readonly minPauseBetweenCheckpoints: number;
      /** Reschedules the periodic trigger `delayMs` from now. */
      readonly rescheduleTrigger: (delayMs: number) => void;
      readonly clock: Clock;
      readonly numberOfPendingCheckpoints: () => number;
      /** Default {@link DEFAULT_MAX_QUEUED_CHECKPOINT_REQUESTS}. */
      readonly maxQueuedRequests?: number;
    },
  ) {
    if (options.maxConcurrentCheckpoints < 1) {
      throw new IllegalArgumentError('The max number of concurrent checkpoints must be at least 1.');
    }
    if ((options.maxQueuedRequests ?? DEFAULT_MAX_QUEUED_CHECKPOINT_REQUESTS) < 1) {
      throw new IllegalArgumentError('The max number of queued checkpoint requests must be at least 1.');
    }
  }

  /**
   * Queues `newRequest` and returns the request to execute now, if any (not necessarily the new
   * one). Requests it drops are rejected.
   */
  chooseRequestToExecute(
    newRequest: CheckpointTriggerRequest,
    isTriggering: boolean,
    lastCompletionRelativeTime: number,
  ): CheckpointTriggerRequest | undefined {
    const maxQueued = this.options.maxQueuedRequests ?? DEFAULT_MAX_QUEUED_CHECKPOINT_REQUESTS;
    const last = this.queuedRequests[this.queuedRequests.length - 1];
    if (this.queuedRequests.length >= maxQueued && last !== undefined && !last.isPeriodic) {
      // Only user requests wait: keep them and drop the new one.
      newRequest.completion.reject(new CheckpointException('TOO_MANY_CHECKPOINT_REQUESTS'));
      return undefined;
    }
    this.enqueue(newRequest);
    if (this.queuedRequests.length > maxQueued) {
      this.queuedRequests.pop()?.completion.reject(new CheckpointException('TOO_MANY_CHECKPOINT_REQUESTS'));
    }
    return this.chooseQueuedRequestToExecute(isTriggering, lastCompletionRelativeTime);
  }

  /** The queued request to execute now, if any. */
  chooseQueuedRequestToExecute(
    isTriggering: boolean,
    lastCompletionRelativeTime: number,
  ): CheckpointTriggerRequest | undefined {
    const first = this.queuedRequests[0];
    if (isTriggering || first === undefined) return undefined;
    if (this.options.numberOfPendingCheckpoints() >= this.options.maxConcurrentCheckpoints) {
      return isForcedRequest(first) ? this.queuedRequests.shift() : undefined;
    }
    if (!isForcedRequest(first) && first.isPeriodic) {
      const delay =
        lastCompletionRelativeTime -
        this.options.clock.relativeTimeMillis() +
        this.options.minPauseBetweenCheckpoints;
      if (delay > 0) {
        this.queuedRequests.shift();
        first.completion.reject(new CheckpointException('MINIMUM_TIME_BETWEEN_CHECKPOINTS'));
        this.options.rescheduleTrigger(delay);
        return undefined;
      }
    }
    return this.queuedRequests.shift();
  }

  /** Rejects every queued request with `exception`. */
  abortAll(exception: CheckpointException): void {
    for (const request of this.queuedRequests.splice(0)) request.completion.reject(exception);
  }

  getNumQueuedRequests(): number {
    return this.queuedRequests.length;
  }

  private enqueue(request: CheckpointTriggerRequest): void {
    const index = this.queuedRequests.findIndex((queued) => compareRequests(request, queued) < 0);
    if (index < 0) this.queuedRequests.push(request);
    else this.queuedRequests.splice(index, 0, request);
  }
}

/** Flink's order: savepoints first, then forced, then manual before periodic, then oldest first. */
function compareRequests(a: CheckpointTriggerRequest, b: CheckpointTriggerRequest): number {
  const aSavepoint = isSavepoint(a.snapshotType);
  if (aSavepoint !== isSavepoint(b.snapshotType)) return aSavepoint ? -1 : 1;
  if (a.isPeriodic !== b.isPeriodic) return a.isPeriodic ? 1 : -1;
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  return a.sequence - b.sequence;
}
