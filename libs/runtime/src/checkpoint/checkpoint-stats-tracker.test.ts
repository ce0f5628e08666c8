import { describe, expect, it } from 'vitest';

import { JobVertexID } from '../core/ids.js';
import { StatsSummary, findCheckpointStats, percentile } from './checkpoint-stats.js';
import { DefaultCheckpointStatsTracker } from './checkpoint-stats-tracker.js';
import type { SnapshotType } from './checkpoint-types.js';
import { testingMetrics } from './testing/testing-checkpoint-tasks.js';

const vertexA = JobVertexID.generate();
const vertexB = JobVertexID.generate();

function pending(
  tracker: DefaultCheckpointStatsTracker,
  id: number,
  snapshotType: SnapshotType = 'CHECKPOINT',
) {
  tracker.reportPendingCheckpoint({
    checkpointId: id,
    triggerTimestamp: id * 1000,
    snapshotType,
    vertexToParallelism: new Map([
      [vertexA, 2],
      [vertexB, 1],
    ]),
  });
}

/** All three subtasks acknowledge `id`, `duration` ms after its trigger, with `size` bytes each. */
function ackAll(tracker: DefaultCheckpointStatsTracker, id: number, duration: number, size: number) {
  const at = id * 1000 + duration;
  tracker.reportSubtaskStats(id, vertexA, 0, at - 5, testingMetrics({ stateSize: size, syncDurationMs: 1 }));
  tracker.reportSubtaskStats(id, vertexA, 1, at - 1, testingMetrics({ stateSize: size, syncDurationMs: 3 }));
  tracker.reportSubtaskStats(
    id,
    vertexB,
    0,
    at,
    testingMetrics({
      stateSize: size,
      alignmentDurationMs: 4,
      bytesProcessedDuringAlignment: 8,
      checkpointStartDelayMs: 2,
    }),
  );
}

describe('DefaultCheckpointStatsTracker', () => {
  it('counts in-progress, completed, failed, restored and trigger failures', () => {
    const tracker = new DefaultCheckpointStatsTracker();
    expect(tracker.createSnapshot().counts).toEqual({
      restored: 0,
      total: 0,
      inProgress: 0,
      completed: 0,
      failed: 0,
    });
    pending(tracker, 1);
    pending(tracker, 2);
    pending(tracker, 3);
    expect(tracker.createSnapshot().counts).toMatchObject({ total: 3, inProgress: 3 });
    tracker.reportCompleted(1, '/chk-1');
    tracker.reportFailed(2, 2500, 'expired');
    tracker.reportFailedWithoutInProgress();
    tracker.reportRestored({
      checkpointId: 1,
      restoreTimestamp: 9000,
      isSavepoint: false,
      externalPath: '/chk-1',
    });
    expect(tracker.createSnapshot().counts).toEqual({
      restored: 1,
      total: 4,
      inProgress: 1,
      completed: 1,
      failed: 2,
    });
    // Reports for unknown or finished checkpoints change nothing.
    tracker.reportCompleted(2, '/x');
    tracker.reportFailed(99, 0, null);
    expect(tracker.createSnapshot().counts).toEqual({
      restored: 1,
      total: 4,
      inProgress: 1,
      completed: 1,
      failed: 2,
    });
  });

  it('keeps per-task and per-subtask details of a checkpoint', () => {
    const tracker = new DefaultCheckpointStatsTracker();
    pending(tracker, 1);
    ackAll(tracker, 1, 50, 100);
    // A repeated subtask report is ignored.
    tracker.reportSubtaskStats(1, vertexA, 0, 1100, testingMetrics({ stateSize: 999 }));
    tracker.reportSubtaskStats(1, vertexA, 7, 1100, testingMetrics({ stateSize: 999 }));
    const inProgress = tracker.createSnapshot().history[0]!;
    expect(inProgress).toMatchObject({
      status: 'IN_PROGRESS',
      checkpointId: 1,
      isSavepoint: false,
      snapshotType: 'CHECKPOINT',
      savepointFormat: null,
      triggerTimestamp: 1000,
      latestAckTimestamp: 1050,
      stateSize: 300,
      checkpointedSize: 300,
      endToEndDurationMs: 50,
      processedData: 8,
      persistedData: 0,
      alignmentBuffered: 0,
      numSubtasks: 3,
      numAcknowledgedSubtasks: 3,
    });
    const taskA = inProgress.tasks[vertexA]!;
    expect(taskA).toMatchObject({
      status: 'IN_PROGRESS',
      latestAckTimestamp: 1049,
      endToEndDurationMs: 49,
      stateSize: 200,
      numSubtasks: 2,
      numAcknowledgedSubtasks: 2,
    });
    expect(taskA.summary.syncDuration).toEqual({ min: 1, max: 3, avg: 2 });
    expect(taskA.summary.endToEndDuration).toEqual({ min: 45, max: 49, avg: 47 });
    expect(taskA.subtasks[0]).toEqual({
      index: 0,
      ackTimestamp: 1045,
      endToEndDurationMs: 45,
      stateSize: 100,
      checkpointedSize: 100,
      syncDurationMs: 1,
      asyncDurationMs: 0,
      alignmentDurationMs: 0,
      processedData: 0,
      persistedData: 0,
      startDelayMs: 0,
      unalignedCheckpoint: false,
    });
    expect(inProgress.tasks[vertexB]?.subtasks[0]).toMatchObject({ alignmentDurationMs: 4, startDelayMs: 2 });

    tracker.reportCompleted(1, '/chk-1');
    expect(tracker.createSnapshot().latest.completed).toMatchObject({
      status: 'COMPLETED',
      externalPath: '/chk-1',
      discarded: false,
    });
    expect(tracker.createSnapshot().latest.completed?.tasks[vertexA]?.status).toBe('COMPLETED');
  });

  it('shows unacknowledged subtasks as null and -1 timestamps', () => {
    const tracker = new DefaultCheckpointStatsTracker();
    pending(tracker, 1);
    const stats = tracker.createSnapshot().history[0]!;
    expect(stats.latestAckTimestamp).toBe(-1);
    expect(stats.endToEndDurationMs).toBe(0);
    expect(stats.tasks[vertexA]).toMatchObject({
      latestAckTimestamp: -1,
      endToEndDurationMs: -1,
      subtasks: [null, null],
    });
  });

  it('keeps the last 10 checkpoints newest first, and the latest ones beyond', () => {
    const tracker = new DefaultCheckpointStatsTracker();
    pending(tracker, 1, 'SAVEPOINT');
    ackAll(tracker, 1, 10, 1);
    tracker.reportCompleted(1, '/sp-1');
    pending(tracker, 2);
    tracker.reportFailed(2, 2100, 'declined');
    for (let id = 3; id <= 14; id++) {
      pending(tracker, id);
      ackAll(tracker, id, 10, 1);
      tracker.reportCompleted(id, `/chk-${id}`);
    }
    pending(tracker, 15);
    const snapshot = tracker.createSnapshot();
    expect(snapshot.history.map((cp) => cp.checkpointId)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    expect(snapshot.history[0]?.status).toBe('IN_PROGRESS');
    expect(snapshot.latest.completed?.checkpointId).toBe(14);
    expect(snapshot.latest.savepoint).toMatchObject({
      checkpointId: 1,
      isSavepoint: true,
      externalPath: '/sp-1',
    });
    expect(snapshot.latest.failed).toMatchObject({
      checkpointId: 2,
      failureTimestamp: 2100,
      failureMessage: 'declined',
      endToEndDurationMs: 100,
    });
    expect(snapshot.latest.restored).toBeNull();
    expect(findCheckpointStats(snapshot, 2)?.status).toBe('FAILED');
    expect(findCheckpointStats(snapshot, 1)?.status).toBe('COMPLETED');
    expect(findCheckpointStats(snapshot, 3)).toBeUndefined();
    expect(findCheckpointStats(snapshot, 9)?.checkpointId).toBe(9);
  });

  it('summarizes completed checkpoints with min/max/avg and percentiles', () => {
    const tracker = new DefaultCheckpointStatsTracker();
    for (let id = 1; id <= 100; id++) {
      pending(tracker, id);
      ackAll(tracker, id, id, id); // end-to-end = id ms, state = 3·id bytes
      tracker.reportCompleted(id, `/chk-${id}`);
    }
    const summary = tracker.createSnapshot().summary;
    const expected = { min: 1, max: 100, avg: 50, p50: 50.5, p90: 90.9, p95: 95.95, p99: 99.99, p999: 100 };
    for (const [key, value] of Object.entries(expected)) {
      expect(summary.endToEndDuration[key as keyof typeof expected]).toBeCloseTo(value, 9);
    }
    expect(summary.stateSize).toMatchObject({ min: 3, max: 300, avg: 151 });
    expect(summary.checkpointedSize).toEqual(summary.stateSize);
    expect(summary.processedData).toMatchObject({ min: 8, max: 8, avg: 8, p50: 8 });
    expect(summary.persistedData).toEqual({
      min: 0,
      max: 0,
      avg: 0,
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      p999: 0,
    });
    expect(summary.alignmentBuffered.max).toBe(0);
  });

  it('marks a discarded completed checkpoint and caches snapshots until something changes', () => {
    const tracker = new DefaultCheckpointStatsTracker(2);
    pending(tracker, 1);
    tracker.reportCompleted(1, '/chk-1');
    const before = tracker.createSnapshot();
    expect(tracker.createSnapshot()).toBe(before);
    tracker.reportDiscarded(1);
    const after = tracker.createSnapshot();
    expect(after).not.toBe(before);
    expect(after.latest.completed?.discarded).toBe(true);
    expect(after.history[0]).toMatchObject({ checkpointId: 1, discarded: true });
    expect(() => new DefaultCheckpointStatsTracker(-1)).toThrow(/>= 0/);
  });

  it('tracks nothing in the history with a history size of 0, but still counts', () => {
    const tracker = new DefaultCheckpointStatsTracker(0);
    pending(tracker, 1);
    tracker.reportCompleted(1, '/chk-1');
    const snapshot = tracker.createSnapshot();
    expect(snapshot.history).toEqual([]);
    expect(snapshot.counts.completed).toBe(1);
    expect(snapshot.latest.completed?.checkpointId).toBe(1);
  });
});

describe('StatsSummary and percentile', () => {
  it('computes min/max/avg over all values and percentiles over the last window', () => {
    const summary = new StatsSummary(10_000);
    summary.add(1000);
    for (let i = 0; i < 10_000; i++) summary.add(1);
    summary.add(-5); // unknown: ignored
    const snapshot = summary.snapshot();
    expect(summary.getCount()).toBe(10_001);
    expect(snapshot).toMatchObject({ min: 1, max: 1000, avg: 1, p50: 1, p999: 1 });
  });

  it('reports zeros when empty and interpolates like Commons Math LEGACY', () => {
    expect(new StatsSummary().snapshot()).toEqual({
      min: 0,
      max: 0,
      avg: 0,
      p50: 0,
      p90: 0,
      p95: 0,
      p99: 0,
      p999: 0,
    });
    expect(percentile([7], 0.5)).toBe(7);
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0.1)).toBe(1);
    expect(percentile([1, 2, 3, 4], 0.9)).toBe(4);
    expect(percentile([10, 20, 30], 0.25)).toBe(10);
  });
});
