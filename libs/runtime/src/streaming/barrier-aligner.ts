import type { CheckpointFailureReason } from '../checkpoint/checkpoint-types.js';
import type { CheckpointBarrier } from '../io/network/buffer.js';
import type { CheckpointingMode } from './stream-config.js';

/** What the task measured while aligning one checkpoint's barriers. */
export interface AlignmentMetrics {
  /** From the first barrier to the last one (0 with a single channel). */
  readonly alignmentDurationMs: number;
  /** From the barrier's creation at the coordinator to the first barrier reaching this task. */
  readonly checkpointStartDelayMs: number;
  /** Records processed between the first and the last barrier (on channels not yet aligned). */
  readonly recordsProcessedDuringAlignment: number;
}

/** The channels a barrier handler blocks and resumes (the task's input gate). */
export interface BlockableInput {
  blockChannel(channelIndex: number): void;
  resumeAll(): void;
}

/** What a barrier handler tells the task. */
export interface BarrierHandlerTarget {
  /**
   * Barrier `barrier.checkpointId` arrived on every channel that has not ended: take the snapshot and
   * forward the barrier. Runs synchronously, before any blocked channel is resumed.
   */
  triggerCheckpointOnBarrier(barrier: CheckpointBarrier, metrics: AlignmentMetrics): void;
  /** The checkpoint being aligned was given up (a newer barrier overtook it, or it was aborted). */
  abortCheckpointOnBarrier(checkpointId: number, reason: CheckpointFailureReason): void;
}

/**
 * Handles the checkpoint barriers of a task's input channels (Flink's SingleCheckpointBarrierHandler
 * with its aligned and at-least-once trackers).
 *
 * EXACTLY_ONCE: on barrier n from channel c, c is blocked, so its records after the barrier stay
 * queued; once barrier n came on every channel that has not ended, the task snapshots (and forwards
 * the barrier), then every channel is resumed. A channel that ends counts as aligned. A barrier of a
 * newer checkpoint while n is aligning aborts n (CHECKPOINT_SUBSUMED) and starts the newer one;
 * barriers of older checkpoints are ignored. AT_LEAST_ONCE counts barriers the same way but never
 * blocks a channel.
 */
export class CheckpointBarrierAligner {
  private readonly blocked: boolean[];
  private readonly finished: boolean[];
  private numberOfFinished = 0;
  /** The newest checkpoint seen; barriers of older ones are ignored. */
  private currentCheckpointId = -1;
  /** Channels that delivered the current checkpoint's barrier (0 when not aligning). */
  private barriersReceived = 0;
  /** The current checkpoint's barrier, handed to the snapshot once aligned. */
  private pendingBarrier: CheckpointBarrier | undefined;
  private alignmentStart = 0;
  private startDelayMs = 0;
  /** Records processed while aligning; the task adds to it. */
  recordsDuringAlignment = 0;

  constructor(
    private readonly numberOfChannels: number,
    private readonly input: BlockableInput,
    private readonly target: BarrierHandlerTarget,
    private readonly mode: CheckpointingMode,
    private readonly now: () => number = Date.now,
  ) {
    this.blocked = new Array<boolean>(numberOfChannels).fill(false);
    this.finished = new Array<boolean>(numberOfChannels).fill(false);
  }

  /** Whether a checkpoint is being aligned (some but not all barriers arrived). */
  isAligning(): boolean {
    return this.barriersReceived > 0;
  }

  getCurrentCheckpointId(): number {
    return this.currentCheckpointId;
  }

  processBarrier(barrier: CheckpointBarrier, channelIndex: number): void {
    const id = barrier.checkpointId;
    if (id < this.currentCheckpointId) return;
    if (id > this.currentCheckpointId) {
      if (this.isAligning()) this.abortAlignment(this.currentCheckpointId, 'CHECKPOINT_SUBSUMED');
      this.currentCheckpointId = id;
      this.alignmentStart = this.now();
      this.startDelayMs = Math.max(0, this.alignmentStart - barrier.timestamp);
      this.recordsDuringAlignment = 0;
    } else if (this.barriersReceived === 0 || this.blocked[channelIndex] === true) {
      // Checkpoint `id` was completed or aborted already, or this channel sent its barrier twice.
      return;
    }
    this.blocked[channelIndex] = true;
    this.barriersReceived++;
    if (this.mode === 'EXACTLY_ONCE') this.input.blockChannel(channelIndex);
    this.completeIfAligned(barrier);
  }

  /** Channel `channelIndex` ended: it counts as aligned for the current and every later checkpoint. */
  processEndOfPartition(channelIndex: number): void {
    if (this.finished[channelIndex] === true) return;
    this.finished[channelIndex] = true;
    this.numberOfFinished++;
    if (this.isAligning() && this.blocked[channelIndex] !== true) {
      this.completeIfAligned(undefined);
    }
  }

  /**
   * The coordinator aborted `checkpointId`: stop aligning it and resume every channel (without
   * declining: the coordinator knows). Other checkpoints are not affected.
   */
  abortPendingCheckpoint(checkpointId: number): void {
    if (!this.isAligning() || checkpointId !== this.currentCheckpointId) return;
    this.resetAlignment();
    this.input.resumeAll();
  }

  private completeIfAligned(barrier: CheckpointBarrier | undefined): void {
    if (barrier !== undefined) this.pendingBarrier = barrier;
    if (this.barriersReceived + this.numberOfUnblockedFinished() < this.numberOfChannels) return;
    const aligned = this.pendingBarrier as CheckpointBarrier;
    const metrics: AlignmentMetrics = {
      alignmentDurationMs: Math.max(0, this.now() - this.alignmentStart),
      checkpointStartDelayMs: this.startDelayMs,
      recordsProcessedDuringAlignment: this.recordsDuringAlignment,
    };
    this.resetAlignment();
    try {
      this.target.triggerCheckpointOnBarrier(aligned, metrics);
    } finally {
      this.input.resumeAll();
    }
  }

  private abortAlignment(checkpointId: number, reason: CheckpointFailureReason): void {
    this.resetAlignment();
    this.input.resumeAll();
    this.target.abortCheckpointOnBarrier(checkpointId, reason);
  }

  private resetAlignment(): void {
    this.blocked.fill(false);
    this.barriersReceived = 0;
    this.pendingBarrier = undefined;
  }

  /** Ended channels that did not deliver the current barrier before ending. */
  private numberOfUnblockedFinished(): number {
    if (this.numberOfFinished === 0) return 0;
    let count = 0;
    for (let i = 0; i < this.numberOfChannels; i++)
      if (this.finished[i] === true && this.blocked[i] !== true) count++;
    return count;
  }
}
