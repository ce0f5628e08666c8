import { describe, expect, it } from 'vitest';

import { CheckpointException } from './checkpoint-types.js';
import { coordinatorHarness, rejectionReason, settle } from './testing/checkpoint-coordinator-harness.js';
import { flushPromises } from './testing/testing-checkpoint-tasks.js';

describe('CheckpointCoordinator: periodic scheduling', () => {
  it('triggers at the interval after an initial delay, and stops', async () => {
    // random() = 0: the initial delay is the min pause (0 here).
    const h = coordinatorHarness({ configure: (b) => b.setCheckpointInterval(1000) });
    const source = h.source.tasks[0]!;
    h.coordinator.startCheckpointScheduler();
    expect(h.coordinator.isPeriodicCheckpointingStarted()).toBe(true);
    await h.advance(0);
    expect(source.triggeredIds()).toEqual([1]);
    await h.ackAll(1);

    await h.advance(999);
    expect(source.triggeredIds()).toEqual([1]);
    await h.advance(1);
    expect(source.triggeredIds()).toEqual([1, 2]);
    await h.ackAll(2);
    await h.advance(1000);
    expect(source.triggeredIds()).toEqual([1, 2, 3]);

    h.coordinator.stopCheckpointScheduler();
    await flushPromises();
    expect(h.coordinator.getNumberOfPendingCheckpoints()).toBe(0);
    expect(h.storage.location(3)?.disposed).toBe(true);
    expect(h.statsTracker.createSnapshot().latest.failed?.failureMessage).toBe(
      'Checkpoint Coordinator is suspending.',
    );
    await h.advance(5000);
    expect(source.triggeredIds()).toEqual([1, 2, 3]);
    expect(h.clock.numberOfScheduledTasks()).toBe(0);
    expect(h.failures).toEqual([]);
  });

  it('draws the initial delay between min pause and interval', async () => {
    const h = coordinatorHarness({
      configure: (b) => b.setCheckpointInterval(1000).setMinPauseBetweenCheckpoints(300),
    });
    h.coordinator.startCheckpointScheduler();
    await h.advance(299);
    expect(h.source.tasks[0]?.triggered).toEqual([]);
    await h.advance(1);
    expect(h.source.tasks[0]?.triggeredIds()).toEqual([1]);
  });

  it('fails a periodic trigger while the scheduler is stopped; manual triggers still work', async () => {
    const h = coordinatorHarness();
    expect(await rejectionReason(h.coordinator.triggerCheckpoint(true))).toBe('PERIODIC_SCHEDULER_SHUTDOWN');
    const manual = settle(h.coordinator.triggerCheckpoint('CHECKPOINT'));
    await flushPromises();
    await h.ackAll(1);
    expect(manual.value?.checkpointId).toBe(1);
    expect(h.failures).toEqual([]);
  });

  it('refuses to start without a periodic interval', () => {
    const h = coordinatorHarness({ configure: (b) => b.setCheckpointInterval(Number.MAX_SAFE_INTEGER) });
    expect(() => {
      h.coordinator.startCheckpointScheduler();
    }).toThrow(/no periodic checkpointing/);
  });
});

describe('CheckpointCoordinator: min pause and max concurrent checkpoints', () => {
  it('waits at least min pause after the last completion before the next periodic trigger', async () => {
    const h = coordinatorHarness({
      configure: (b) => b.setCheckpointInterval(1000).setMinPauseBetweenCheckpoints(600),
    });
    const source = h.source.tasks[0]!;
    h.coordinator.startCheckpointScheduler();
    await h.advance(600); // t = 600: first trigger
    expect(source.triggeredIds()).toEqual([1]);
    await h.advance(900);
    await h.ackAll(1); // completed at t = 1500

    // The tick at t = 1600 is within the min pause: rejected, rescheduled to t = 2100.
    await h.advance(100);
    expect(source.triggeredIds()).toEqual([1]);
    await h.advance(499);
    expect(source.triggeredIds()).toEqual([1]);
    await h.advance(1);
    expect(source.triggeredIds()).toEqual([1, 2]);
    // Fixed rate again from there.
    await h.ackAll(2); // completed at t = 2100
    await h.advance(1000);
    expect(source.triggeredIds()).toEqual([1, 2, 3]);
    expect(h.failures).toEqual([]);
  });

  it('does not hold back manual checkpoints by min pause', async () => {
    const h = coordinatorHarness({ configure: (b) => b.setMinPauseBetweenCheckpoints(10_000) });
    settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    await h.ackAll(1);
    const second = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    await h.ackAll(2);
    expect(second.value?.checkpointId).toBe(2);
  });

  it.each([1, 2, 5])('suppresses periodic triggers while %i checkpoints are pending', async (max) => {
    const h = coordinatorHarness({
      configure: (b) => b.setCheckpointInterval(100).setMaxConcurrentCheckpoints(max),
    });
    const source = h.source.tasks[0]!;
    h.coordinator.startCheckpointScheduler();
    await h.advance(0);
    for (let i = 1; i < max; i++) await h.advance(100);
    expect(source.triggered).toHaveLength(max);

    // One more tick: queued, not triggered.
    await h.advance(100);
    expect(source.triggered).toHaveLength(max);
    expect(h.coordinator.getNumQueuedRequests()).toBe(1);

    // Completing one lets the queued request go.
    await h.ackAll(1);
    expect(source.triggered).toHaveLength(max + 1);
    expect(h.coordinator.getNumberOfPendingCheckpoints()).toBe(max);
  });

  it('triggers savepoints regardless of max concurrent checkpoints', async () => {
    const h = coordinatorHarness();
    settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    const queued = settle(h.coordinator.triggerCheckpoint(false));
    const savepoint = settle(h.coordinator.triggerSavepoint(null));
    await flushPromises();
    expect(h.coordinator.getPendingCheckpointIds()).toEqual([1, 2]);
    expect(h.coordinator.getNumQueuedRequests()).toBe(1);
    await h.ackAll(2);
    expect(savepoint.value?.externalPointer).toBe(`/savepoints/savepoint-${h.jobId.slice(0, 6)}-2`);
    expect(queued.done).toBe(false);
    await h.ackAll(1);
    expect(h.coordinator.getPendingCheckpointIds()).toEqual([3]);
  });

  it('rejects requests beyond the queue bound with TOO_MANY_CHECKPOINT_REQUESTS', async () => {
    const h = coordinatorHarness({ maxQueuedRequests: 1 });
    settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    const queued = settle(h.coordinator.triggerCheckpoint(false));
    expect(await rejectionReason(h.coordinator.triggerCheckpoint(false))).toBe(
      'TOO_MANY_CHECKPOINT_REQUESTS',
    );
    expect(queued.done).toBe(false);
  });
});

describe('CheckpointCoordinator: trigger queue', () => {
  it('handles trigger requests one at a time, in order', async () => {
    const h = coordinatorHarness({ configure: (b) => b.setMaxConcurrentCheckpoints(5) });
    let open!: () => void;
    h.storage.initializeGate = new Promise<void>((resolve) => (open = resolve));
    const first = settle(h.coordinator.triggerCheckpoint(false));
    const second = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    expect(h.coordinator.getPendingCheckpointIds()).toEqual([1]);
    expect(h.coordinator.getNumQueuedRequests()).toBe(1);
    expect(h.source.tasks[0]?.triggered).toEqual([]);

    open();
    await flushPromises();
    expect(h.coordinator.getPendingCheckpointIds()).toEqual([1, 2]);
    expect(h.source.tasks[0]?.triggeredIds()).toEqual([1, 2]);
    await h.ackAll(1);
    await h.ackAll(2);
    expect([first.value?.checkpointId, second.value?.checkpointId]).toEqual([1, 2]);
  });

  it('does not let a failed trigger block the queue', async () => {
    const h = coordinatorHarness({ configure: (b) => b.setMaxConcurrentCheckpoints(5) });
    h.storage.failNextInitialize = new Error('io');
    const first = settle(h.coordinator.triggerCheckpoint(false));
    const second = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    expect((first.error as CheckpointException).reason).toBe('TRIGGER_CHECKPOINT_FAILURE');
    expect(h.storage.locations.map((l) => l.checkpointId)).toEqual([2]);
    await h.ackAll(2);
    expect(second.value?.checkpointId).toBe(2);
  });

  it('disposes a location created for a checkpoint aborted meanwhile', async () => {
    const h = coordinatorHarness();
    let open!: () => void;
    h.storage.initializeGate = new Promise<void>((resolve) => (open = resolve));
    const result = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    h.coordinator.abortPendingCheckpoints('JOB_FAILOVER_REGION');
    open();
    await flushPromises();
    expect((result.error as CheckpointException).reason).toBe('JOB_FAILOVER_REGION');
    expect(h.storage.location(1)?.disposed).toBe(true);
    expect(h.source.tasks[0]?.triggered).toEqual([]);
    expect(h.coordinator.getNumberOfPendingCheckpoints()).toBe(0);
  });
});

describe('CheckpointCoordinator: failure tolerance', () => {
  it('fails the job when expirations exceed the tolerable number', async () => {
    const h = coordinatorHarness({
      configure: (b) => b.setCheckpointTimeout(100).setTolerableCheckpointFailureNumber(2),
    });
    for (let id = 1; id <= 3; id++) {
      const result = settle(h.coordinator.triggerCheckpoint(false));
      await flushPromises();
      await h.advance(100);
      expect((result.error as CheckpointException).reason).toBe('CHECKPOINT_EXPIRED');
      expect(h.failures).toHaveLength(id === 3 ? 1 : 0);
    }
  });

  it('resets the consecutive count on a successful checkpoint', async () => {
    const h = coordinatorHarness({
      configure: (b) => b.setCheckpointTimeout(100).setTolerableCheckpointFailureNumber(1),
    });
    settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    await h.advance(100); // 1 expired
    settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    await h.ackAll(2); // 2 completed: reset
    settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    await h.advance(100); // 3 expired
    expect(h.failures).toEqual([]);
    settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    await h.advance(100); // 4 expired: second consecutive
    expect(h.failures).toHaveLength(1);
  });

  it('never counts savepoint failures on the JobMaster side', async () => {
    const h = coordinatorHarness({ configure: (b) => b.setCheckpointTimeout(100) });
    const savepoint = settle(h.coordinator.triggerSavepoint(null));
    await flushPromises();
    await h.advance(100);
    expect((savepoint.error as CheckpointException).reason).toBe('CHECKPOINT_EXPIRED');
    expect(h.failures).toEqual([]);
  });

  it('always fails the job when a task declines a synchronous savepoint', async () => {
    const h = coordinatorHarness({ configure: (b) => b.setTolerableCheckpointFailureNumber(10) });
    const savepoint = settle(h.coordinator.triggerSynchronousSavepoint(false, null));
    await flushPromises();
    h.coordinator.receiveDeclineMessage(h.sink.tasks[0]!.attemptId, 1, 'TASK_CHECKPOINT_FAILURE');
    await flushPromises();
    expect((savepoint.error as CheckpointException).reason).toBe('TASK_CHECKPOINT_FAILURE');
    expect(h.failures).toHaveLength(1);
    expect(h.failures[0]?.cause).toBeInstanceOf(CheckpointException);
  });
});
