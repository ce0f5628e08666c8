import { describe, expect, it } from 'vitest';

import { ExecutionAttemptID, ExecutionVertexID, JobVertexID, OperatorID } from '../core/ids.js';
import type { CheckpointRetentionPolicy } from '../jobgraph/checkpointing-settings.js';
import { CheckpointToleranceExceededError } from './checkpoint-failure-manager.js';
import { CheckpointException, SnapshotType } from './checkpoint-types.js';
import { coordinatorHarness, rejectionReason, settle } from './testing/checkpoint-coordinator-harness.js';
import { flushPromises, testingMetrics } from './testing/testing-checkpoint-tasks.js';

describe('CheckpointCoordinator: trigger, acknowledge, complete', () => {
  it('completes a checkpoint once every task acknowledged: metadata, store, notifications', async () => {
    const h = coordinatorHarness();
    const result = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();

    expect(h.coordinator.getNumberOfPendingCheckpoints()).toBe(1);
    // Only the sources get the trigger, with the checkpoint's directory.
    for (const task of h.source.tasks) {
      expect(task.triggered).toEqual([
        {
          metadata: { checkpointId: 1, timestamp: 1_000_000 },
          options: {
            snapshotType: 'CHECKPOINT',
            drain: false,
            targetLocation: `/checkpoints/${h.jobId}/chk-1`,
          },
        },
      ]);
    }
    expect(h.sink.tasks[0]?.triggered).toEqual([]);

    h.ackVertex(h.source, 1, 7);
    await flushPromises();
    expect(result.done).toBe(false);
    expect(h.storage.location(1)?.finalizedMetadata).toBeUndefined();

    await h.advance(5);
    await h.ackAll(1, 7);
    expect(result.error).toBeUndefined();
    const completed = result.value!;
    expect(completed.checkpointId).toBe(1);
    expect(completed.snapshotType).toBe('CHECKPOINT');
    expect(completed.externalPointer).toBe(`/checkpoints/${h.jobId}/chk-1`);
    expect(completed.completionTimestamp).toBe(1_000_005);

    // `_metadata`: every operator of every vertex, by subtask index.
    const metadata = h.storage.location(1)?.finalizedMetadata;
    expect(metadata).toEqual(completed.metadata);
    expect(metadata?.operators.map((op) => [op.uid, op.parallelism, Object.keys(op.subtaskStates)])).toEqual([
      ['source', 2, ['0', '1']],
      ['map', 1, ['0']],
      ['sink', 1, ['0']],
    ]);
    expect(metadata?.operators[0]?.operatorId).toBe(OperatorID.fromUid('source'));
    expect(metadata?.operators[0]?.maxParallelism).toBe(128);
    expect(completed.getStateSize()).toBe(4 * 7);

    expect(h.store.getLatestCheckpoint()).toBe(completed);
    expect(h.coordinator.getNumberOfPendingCheckpoints()).toBe(0);
    for (const task of h.calculator.allTasks()) {
      expect(task.completed).toEqual([{ checkpointId: 1, timestamp: 1_000_000 }]);
      expect(task.aborted).toEqual([]);
    }
    expect(h.statsTracker.createSnapshot().counts).toEqual({
      restored: 0,
      total: 1,
      inProgress: 0,
      completed: 1,
      failed: 0,
    });
  });

  it('fails the trigger with NOT_ALL_REQUIRED_TASKS_RUNNING, which does not count', async () => {
    const h = coordinatorHarness();
    h.calculator.tasksRunning = false;
    expect(await rejectionReason(h.coordinator.triggerCheckpoint(false))).toBe(
      'NOT_ALL_REQUIRED_TASKS_RUNNING',
    );
    expect(h.coordinator.getNumberOfPendingCheckpoints()).toBe(0);
    expect(h.storage.locations).toEqual([]);
    expect(h.failures).toEqual([]);
    expect(h.statsTracker.createSnapshot().counts).toMatchObject({ total: 1, failed: 1, inProgress: 0 });

    h.calculator.tasksRunning = true;
    const next = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    await h.ackAll(1);
    expect(next.value?.checkpointId).toBe(1);
  });

  it('aborts the whole checkpoint when one task declines; the next one proceeds', async () => {
    const h = coordinatorHarness({ configure: (b) => b.setTolerableCheckpointFailureNumber(1) });
    const first = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    h.ackVertex(h.source, 1);
    const decliner = h.sink.tasks[0]!;
    h.coordinator.receiveDeclineMessage(decliner.attemptId, 1, 'CHECKPOINT_DECLINED', new Error('boom'));
    await flushPromises();

    expect((first.error as CheckpointException).reason).toBe('CHECKPOINT_DECLINED');
    expect(((first.error as Error).cause as Error).message).toBe('boom');
    expect(h.storage.location(1)).toMatchObject({ disposed: true, finalizedMetadata: undefined });
    expect(h.coordinator.getNumberOfPendingCheckpoints()).toBe(0);
    for (const task of h.calculator.allTasks()) {
      expect(task.aborted).toEqual([{ checkpointId: 1, latestCompletedCheckpointId: 0 }]);
    }
    expect(h.failures).toEqual([]);

    // A late ack of the declined checkpoint is ignored.
    expect(h.coordinator.receiveAcknowledgeMessage(decliner.attemptId, 1, testingMetrics())).toBe(true);

    const second = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    await h.ackAll(2);
    expect(second.value?.checkpointId).toBe(2);
    expect(h.store.getLatestCheckpointId()).toBe(2);
  });

  it('fails the job on a counted decline beyond the tolerance, naming the declining task', async () => {
    const h = coordinatorHarness();
    const result = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    const decliner = h.source.tasks[1]!;
    h.coordinator.receiveDeclineMessage(decliner.attemptId, 1, 'CHECKPOINT_DECLINED');
    await flushPromises();
    expect(result.error).toBeInstanceOf(CheckpointException);
    expect(h.failures).toHaveLength(1);
    expect(h.failures[0]?.cause).toBeInstanceOf(CheckpointToleranceExceededError);
    expect(h.failures[0]?.failingTask).toBe(decliner.attemptId);
  });

  it('expires a partly acknowledged checkpoint at its timeout: disposed, no _metadata, no commit, counted', async () => {
    const h = coordinatorHarness({ configure: (b) => b.setCheckpointTimeout(200) });
    const result = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    h.ackVertex(h.source, 1);
    await h.advance(199);
    expect(result.done).toBe(false);
    await h.advance(1);

    expect((result.error as CheckpointException).reason).toBe('CHECKPOINT_EXPIRED');
    expect(h.storage.location(1)).toMatchObject({ disposed: true, finalizedMetadata: undefined });
    expect(h.storage.snapshots.size).toBe(0);
    expect(h.coordinator.getNumberOfPendingCheckpoints()).toBe(0);
    for (const task of h.calculator.allTasks()) expect(task.completed).toEqual([]);
    expect(h.failures).toHaveLength(1);

    // The missing ack arrives late: ignored.
    h.ackVertex(h.sink, 1);
    await flushPromises();
    expect(h.store.getLatestCheckpoint()).toBeUndefined();
    const failed = h.statsTracker.createSnapshot().latest.failed;
    expect(failed).toMatchObject({
      checkpointId: 1,
      numAcknowledgedSubtasks: 2,
      failureTimestamp: 1_000_200,
    });
    expect(failed?.failureMessage).toBe('Checkpoint expired before completing.');
  });

  it('ignores duplicate, unknown and late acknowledgements safely', async () => {
    const h = coordinatorHarness();
    const result = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    const task = h.source.tasks[0]!;
    expect(h.coordinator.receiveAcknowledgeMessage(task.attemptId, 1, testingMetrics({ stateSize: 5 }))).toBe(
      true,
    );
    // Duplicate: counted once.
    expect(h.coordinator.receiveAcknowledgeMessage(task.attemptId, 1, testingMetrics({ stateSize: 5 }))).toBe(
      true,
    );
    // A task the checkpoint does not wait for.
    const stranger = ExecutionAttemptID.generate(ExecutionVertexID.of(JobVertexID.generate(), 0));
    expect(h.coordinator.receiveAcknowledgeMessage(stranger, 1, testingMetrics())).toBe(true);
    // A checkpoint that never existed.
    expect(h.coordinator.receiveAcknowledgeMessage(task.attemptId, 99, testingMetrics())).toBe(false);
    expect(h.statsTracker.createSnapshot().history[0]?.numAcknowledgedSubtasks).toBe(1);

    await h.ackAll(1);
    expect(result.value?.checkpointId).toBe(1);
    // Late ack for the completed checkpoint: remembered, ignored.
    expect(h.coordinator.receiveAcknowledgeMessage(task.attemptId, 1, testingMetrics())).toBe(true);
    expect(h.coordinator.getNumberOfPendingCheckpoints()).toBe(0);
    expect(task.completed).toHaveLength(1);
  });

  it('subsumes older pending checkpoints when a newer one completes (not counted)', async () => {
    const h = coordinatorHarness({ configure: (b) => b.setMaxConcurrentCheckpoints(2) });
    const first = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    const second = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    expect(h.coordinator.getPendingCheckpointIds()).toEqual([1, 2]);
    h.ackVertex(h.source, 1);

    await h.ackAll(2);
    expect(second.value?.checkpointId).toBe(2);
    expect((first.error as CheckpointException).reason).toBe('CHECKPOINT_SUBSUMED');
    expect(h.storage.location(1)?.disposed).toBe(true);
    expect(h.coordinator.getNumberOfPendingCheckpoints()).toBe(0);
    expect(h.failures).toEqual([]);
    for (const task of h.calculator.allTasks()) {
      expect(task.aborted).toEqual([{ checkpointId: 1, latestCompletedCheckpointId: 2 }]);
    }
  });

  it('never subsumes a savepoint, and never uses an intermediate savepoint for recovery or commits it', async () => {
    const h = coordinatorHarness({ configure: (b) => b.setMaxConcurrentCheckpoints(2) });
    const savepoint = settle(h.coordinator.triggerSavepoint('/target', 'NATIVE'));
    await flushPromises();
    const checkpoint = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    expect(h.source.tasks[0]?.triggered[0]?.options).toEqual({
      snapshotType: 'SAVEPOINT',
      drain: false,
      targetLocation: `/target/savepoint-${h.jobId.slice(0, 6)}-1`,
    });

    await h.ackAll(2);
    expect(checkpoint.value?.checkpointId).toBe(2);
    expect(savepoint.done).toBe(false);
    expect(h.coordinator.getPendingCheckpointIds()).toEqual([1]);

    await h.ackAll(1);
    const completed = savepoint.value!;
    expect(completed.isSavepoint()).toBe(true);
    expect(completed.savepointFormat).toBe('NATIVE');
    expect(h.storage.location(1)?.finalizedMetadata?.snapshotType).toBe('SAVEPOINT');
    expect(h.store.getAllCheckpoints().map((cp) => cp.checkpointId)).toEqual([2]);
    // Only the checkpoint was committed.
    expect(h.source.tasks[0]?.completed.map((c) => c.checkpointId)).toEqual([2]);
    expect(h.coordinator.restoreLatestCheckpointedState()?.checkpointId).toBe(2);
    expect(h.statsTracker.createSnapshot().latest.savepoint?.checkpointId).toBe(1);
  });

  it('commits a synchronous savepoint (drain) and subsumes older checkpoints, without storing it', async () => {
    const h = coordinatorHarness({ configure: (b) => b.setMaxConcurrentCheckpoints(2) });
    const checkpoint = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    const savepoint = settle(h.coordinator.triggerSynchronousSavepoint(true, null));
    await flushPromises();
    expect(h.source.tasks[0]?.triggered[1]?.options).toMatchObject({
      snapshotType: 'SYNC_SAVEPOINT',
      drain: true,
    });

    await h.ackAll(2);
    expect(savepoint.value?.snapshotType).toBe(SnapshotType.SYNC_SAVEPOINT);
    expect((checkpoint.error as CheckpointException).reason).toBe('CHECKPOINT_SUBSUMED');
    expect(h.source.tasks[0]?.completed.map((c) => c.checkpointId)).toEqual([2]);
    expect(h.store.getNumberOfRetainedCheckpoints()).toBe(0);
  });

  it('fails a savepoint without a target when no default directory is configured', async () => {
    const h = coordinatorHarness({ storage: { savepointDirectory: null } });
    expect(await rejectionReason(h.coordinator.triggerSavepoint(null))).toBe('TRIGGER_CHECKPOINT_FAILURE');
    expect(h.coordinator.getNumberOfPendingCheckpoints()).toBe(0);
    expect(h.failures).toEqual([]);
  });

  it('keeps num-retained checkpoints and discards the oldest beyond it', async () => {
    const h = coordinatorHarness({ maxRetained: 2 });
    for (let id = 1; id <= 3; id++) {
      const result = settle(h.coordinator.triggerCheckpoint(false));
      await flushPromises();
      await h.ackAll(id);
      expect(result.value?.checkpointId).toBe(id);
    }
    expect(h.store.getAllCheckpoints().map((cp) => cp.checkpointId)).toEqual([2, 3]);
    expect(h.storage.location(1)?.disposed).toBe(true);
    expect(h.storage.location(2)?.disposed).toBe(false);
    const history = h.statsTracker.createSnapshot().history;
    expect(history.map((cp) => [cp.checkpointId, cp.status === 'COMPLETED' && cp.discarded])).toEqual([
      [3, false],
      [2, false],
      [1, true],
    ]);
  });

  it('fails with FINALIZE_CHECKPOINT_FAILURE (counted) when _metadata cannot be written', async () => {
    const h = coordinatorHarness({ configure: (b) => b.setTolerableCheckpointFailureNumber(1) });
    h.storage.failFinalize = new Error('disk full');
    const result = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    await h.ackAll(1);
    expect((result.error as CheckpointException).reason).toBe('FINALIZE_CHECKPOINT_FAILURE');
    expect(h.storage.location(1)?.disposed).toBe(true);
    expect(h.store.getNumberOfRetainedCheckpoints()).toBe(0);
    expect(h.source.tasks[0]?.aborted.map((a) => a.checkpointId)).toEqual([1]);
    expect(h.failures).toEqual([]);

    const second = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    await h.ackAll(2);
    expect(h.failures).toHaveLength(1);
    expect(second.error).toBeInstanceOf(CheckpointException);
  });

  it('aborts a checkpoint whose trigger a task rejects (TRIGGER_CHECKPOINT_FAILURE, not counted)', async () => {
    const h = coordinatorHarness();
    h.source.tasks[1]!.failTrigger = new Error('task gone');
    expect(await rejectionReason(h.coordinator.triggerCheckpoint(false))).toBe('TRIGGER_CHECKPOINT_FAILURE');
    expect(h.storage.location(1)?.disposed).toBe(true);
    expect(h.failures).toEqual([]);
  });

  it('aborts the pending checkpoints a failed task has not acknowledged', async () => {
    const h = coordinatorHarness();
    const result = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    h.ackVertex(h.source, 1);
    h.coordinator.failUnacknowledgedPendingCheckpointsFor(h.source.tasks[0]!.attemptId, new Error('x'));
    expect(h.coordinator.getNumberOfPendingCheckpoints()).toBe(1);
    h.coordinator.failUnacknowledgedPendingCheckpointsFor(h.sink.tasks[0]!.attemptId, new Error('x'));
    await flushPromises();
    expect((result.error as CheckpointException).reason).toBe('TASK_FAILURE');
    expect(h.failures).toEqual([]);
  });

  it('counts IO_EXCEPTION aborts towards the tolerance', async () => {
    const h = coordinatorHarness();
    const result = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    h.coordinator.abortPendingCheckpoints('IO_EXCEPTION');
    await flushPromises();
    expect((result.error as CheckpointException).reason).toBe('IO_EXCEPTION');
    expect(h.failures).toHaveLength(1);
  });
});

describe('CheckpointCoordinator: restore and shutdown', () => {
  it('restores the latest completed checkpoint and reports it', async () => {
    const h = coordinatorHarness();
    expect(h.coordinator.restoreLatestCheckpointedState()).toBeUndefined();
    const result = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    await h.ackAll(1);
    await h.advance(50);
    expect(h.coordinator.restoreLatestCheckpointedState()).toBe(result.value);
    const snapshot = h.statsTracker.createSnapshot();
    expect(snapshot.counts.restored).toBe(1);
    expect(snapshot.latest.restored).toEqual({
      checkpointId: 1,
      restoreTimestamp: 1_000_050,
      isSavepoint: false,
      externalPath: `/checkpoints/${h.jobId}/chk-1`,
    });
  });

  it('aborts pending checkpoints on shutdown (not counted) and rejects later triggers', async () => {
    const h = coordinatorHarness();
    const pending = settle(h.coordinator.triggerCheckpoint(false));
    await flushPromises();
    await h.coordinator.shutdown('CANCELED');
    await flushPromises();
    expect((pending.error as CheckpointException).reason).toBe('CHECKPOINT_COORDINATOR_SHUTDOWN');
    expect(h.storage.location(1)?.disposed).toBe(true);
    expect(h.failures).toEqual([]);
    expect(await rejectionReason(h.coordinator.triggerCheckpoint(false))).toBe(
      'CHECKPOINT_COORDINATOR_SHUTDOWN',
    );
    expect(h.coordinator.receiveAcknowledgeMessage(h.source.tasks[0]!.attemptId, 1, testingMetrics())).toBe(
      false,
    );
    expect(() => {
      h.coordinator.startCheckpointScheduler();
    }).toThrow(/shut down/);
  });

  const cases: [CheckpointRetentionPolicy, 'FINISHED' | 'CANCELED' | 'FAILED' | 'SUSPENDED', boolean][] = [
    ['NEVER_RETAIN_AFTER_TERMINATION', 'CANCELED', true],
    ['NEVER_RETAIN_AFTER_TERMINATION', 'FAILED', true],
    ['NEVER_RETAIN_AFTER_TERMINATION', 'FINISHED', true],
    ['RETAIN_ON_CANCELLATION', 'CANCELED', false],
    ['RETAIN_ON_CANCELLATION', 'FAILED', false],
    ['RETAIN_ON_CANCELLATION', 'FINISHED', true],
    ['RETAIN_ON_FAILURE', 'FAILED', false],
    ['RETAIN_ON_FAILURE', 'CANCELED', true],
  ];
  it.each(cases)(
    'with %s, shutdown in %s discards the retained checkpoint: %s',
    async (policy, status, discarded) => {
      const h = coordinatorHarness({ configure: (b) => b.setCheckpointRetentionPolicy(policy) });
      const result = settle(h.coordinator.triggerCheckpoint(false));
      await flushPromises();
      await h.ackAll(1);
      expect(result.value?.checkpointId).toBe(1);
      await h.coordinator.shutdown(status);
      expect(h.storage.location(1)?.disposed).toBe(discarded);
      expect(h.store.getNumberOfRetainedCheckpoints()).toBe(0);
    },
  );
});
