import { describe, expect, it } from 'vitest';

import type { CheckpointFailureReason } from '../checkpoint/checkpoint-types.js';
import type { CheckpointBarrier } from '../io/network/buffer.js';
import { CheckpointBarrierAligner } from './barrier-aligner.js';
import type { AlignmentMetrics } from './barrier-aligner.js';
import type { CheckpointingMode } from './stream-config.js';
import { barrierOf } from './testing/stream-test-utils.js';

function alignerOf(channels: number, mode: CheckpointingMode = 'EXACTLY_ONCE') {
  const blocked = new Set<number>();
  const log: string[] = [];
  const triggered: { barrier: CheckpointBarrier; metrics: AlignmentMetrics; blockedAtTrigger: number[] }[] =
    [];
  const aborted: { checkpointId: number; reason: CheckpointFailureReason }[] = [];
  let time = 1000;
  const aligner = new CheckpointBarrierAligner(
    channels,
    {
      blockChannel: (channel) => {
        blocked.add(channel);
        log.push(`block ${channel}`);
      },
      resumeAll: () => {
        blocked.clear();
        log.push('resume');
      },
    },
    {
      triggerCheckpointOnBarrier: (barrier, metrics) => {
        triggered.push({ barrier, metrics, blockedAtTrigger: [...blocked].sort() });
        log.push(`snapshot ${barrier.checkpointId}`);
      },
      abortCheckpointOnBarrier: (checkpointId, reason) => {
        aborted.push({ checkpointId, reason });
        log.push(`abort ${checkpointId}`);
      },
    },
    mode,
    () => time,
  );
  return {
    aligner,
    blocked,
    log,
    triggered,
    aborted,
    advance: (ms: number) => {
      time += ms;
    },
  };
}

describe('CheckpointBarrierAligner', () => {
  it('blocks each channel at its barrier and snapshots once all arrived, before resuming', () => {
    const { aligner, blocked, log, triggered, advance } = alignerOf(3);
    aligner.processBarrier({ ...barrierOf(1), timestamp: 990 }, 1);
    expect([...blocked]).toEqual([1]);
    expect(aligner.isAligning()).toBe(true);
    advance(5);
    aligner.recordsDuringAlignment += 7;
    aligner.processBarrier(barrierOf(1), 0);
    expect(triggered).toHaveLength(0);
    aligner.processBarrier(barrierOf(1), 2);
    expect(triggered).toHaveLength(1);
    expect(triggered[0]?.blockedAtTrigger).toEqual([0, 1, 2]);
    expect(triggered[0]?.metrics).toEqual({
      alignmentDurationMs: 5,
      checkpointStartDelayMs: 10,
      recordsProcessedDuringAlignment: 7,
    });
    expect(log).toEqual(['block 1', 'block 0', 'block 2', 'snapshot 1', 'resume']);
    expect(aligner.isAligning()).toBe(false);
  });

  it('ignores a barrier repeated on a channel and barriers of finished checkpoints', () => {
    const { aligner, triggered } = alignerOf(2);
    aligner.processBarrier(barrierOf(1), 0);
    aligner.processBarrier(barrierOf(1), 0);
    expect(triggered).toHaveLength(0);
    aligner.processBarrier(barrierOf(1), 1);
    expect(triggered).toHaveLength(1);
    aligner.processBarrier(barrierOf(1), 0);
    aligner.processBarrier(barrierOf(0), 1);
    expect(triggered).toHaveLength(1);
    expect(aligner.isAligning()).toBe(false);
  });

  it('aborts an alignment when a newer barrier arrives and aligns the newer one', () => {
    const { aligner, triggered, aborted, log } = alignerOf(2);
    aligner.processBarrier(barrierOf(1), 0);
    aligner.processBarrier(barrierOf(2), 1);
    expect(aborted).toEqual([{ checkpointId: 1, reason: 'CHECKPOINT_SUBSUMED' }]);
    // The late barrier 1 of channel 1 is ignored; barrier 2 on channel 0 completes checkpoint 2.
    aligner.processBarrier(barrierOf(1), 0);
    aligner.processBarrier(barrierOf(2), 0);
    expect(triggered.map((entry) => entry.barrier.checkpointId)).toEqual([2]);
    expect(log).toEqual(['block 0', 'resume', 'abort 1', 'block 1', 'block 0', 'snapshot 2', 'resume']);
  });

  it('counts ended channels as aligned, also when a channel ends during an alignment', () => {
    const { aligner, triggered } = alignerOf(3);
    aligner.processEndOfPartition(2);
    aligner.processBarrier(barrierOf(1), 0);
    expect(triggered).toHaveLength(0);
    aligner.processEndOfPartition(1);
    expect(triggered.map((entry) => entry.barrier.checkpointId)).toEqual([1]);
    aligner.processBarrier(barrierOf(2), 0);
    expect(triggered.map((entry) => entry.barrier.checkpointId)).toEqual([1, 2]);
  });

  it('stops aligning a checkpoint the coordinator aborted, without declining it', () => {
    const { aligner, blocked, aborted, triggered } = alignerOf(2);
    aligner.processBarrier(barrierOf(4), 1);
    aligner.abortPendingCheckpoint(3);
    expect([...blocked]).toEqual([1]);
    aligner.abortPendingCheckpoint(4);
    expect(blocked.size).toBe(0);
    expect(aborted).toEqual([]);
    aligner.processBarrier(barrierOf(4), 0);
    expect(triggered).toHaveLength(0);
  });

  it('never blocks a channel in AT_LEAST_ONCE mode but still snapshots once per checkpoint', () => {
    const { aligner, log, triggered } = alignerOf(2, 'AT_LEAST_ONCE');
    aligner.processBarrier(barrierOf(1), 0);
    aligner.processBarrier(barrierOf(1), 1);
    expect(triggered).toHaveLength(1);
    expect(log).toEqual(['snapshot 1', 'resume']);
  });
});
