import { describe, expect, it } from 'vitest';

import { deferred } from '../core/async.js';
import { ExecutionAttemptID, ExecutionVertexID, JobID, JobVertexID } from '../core/ids.js';
import { CheckpointException } from './checkpoint-types.js';
import type { CompletedCheckpoint } from './completed-checkpoint.js';
import { PendingCheckpoint, TaskAcknowledgeResult } from './pending-checkpoint.js';
import { InMemoryCheckpointStorage } from './testing/in-memory-checkpoint-storage.js';
import {
  TestingCheckpointPlanCalculator,
  testingSubtaskState,
  testingTaskState,
  testingVertex,
} from './testing/testing-checkpoint-tasks.js';

async function setup() {
  const jobId = JobID.generate();
  const source = testingVertex('source', 2);
  const sink = testingVertex('sink', 1, ['map', 'sink']);
  const calculator = new TestingCheckpointPlanCalculator([source, sink]);
  const storage = new InMemoryCheckpointStorage();
  const completion = deferred<CompletedCheckpoint>();
  completion.promise.catch(() => undefined);
  const pending = new PendingCheckpoint({
    jobId,
    checkpointId: 3,
    timestamp: 500,
    snapshotType: 'CHECKPOINT',
    plan: calculator.calculateCheckpointPlan(),
    vertices: calculator.getVertices(),
    completion,
  });
  const location = await storage.initializeLocationForCheckpoint(jobId, 3);
  expect(pending.setCheckpointStorageLocation(location)).toBe(true);
  return { jobId, source, sink, storage, pending, completion };
}

describe('PendingCheckpoint', () => {
  it('classifies acknowledgements: success, duplicate, unknown, discarded', async () => {
    const { source, sink, pending } = await setup();
    const first = source.tasks[0]!;
    expect(pending.getNumberOfNonAcknowledgedTasks()).toBe(3);
    expect(pending.acknowledgeTask(first.attemptId, testingTaskState(source, 0, 4))).toBe(
      TaskAcknowledgeResult.SUCCESS,
    );
    expect(pending.acknowledgeTask(first.attemptId, undefined)).toBe(TaskAcknowledgeResult.DUPLICATE);
    const stranger = ExecutionAttemptID.generate(ExecutionVertexID.of(JobVertexID.generate(), 0));
    expect(pending.acknowledgeTask(stranger, undefined)).toBe(TaskAcknowledgeResult.UNKNOWN);
    expect(pending.isAcknowledgedBy(first.attemptId)).toBe(true);
    expect(pending.getNumberOfAcknowledgedTasks()).toBe(1);
    expect(pending.isFullyAcknowledged()).toBe(false);

    pending.abort(new CheckpointException('CHECKPOINT_DECLINED'));
    expect(pending.acknowledgeTask(sink.tasks[0]!.attemptId, undefined)).toBe(
      TaskAcknowledgeResult.DISCARDED,
    );
  });

  it('collects state by operator; operators without state still appear', async () => {
    const { jobId, source, sink, pending } = await setup();
    pending.acknowledgeTask(source.tasks[1]!.attemptId, testingTaskState(source, 1, 4));
    pending.acknowledgeTask(source.tasks[0]!.attemptId, testingTaskState(source, 0, 4));
    // The chain reports state for its last operator only.
    const sinkOperator = sink.info.operators[1]!.operatorId;
    pending.acknowledgeTask(sink.tasks[0]!.attemptId, { [sinkOperator]: testingSubtaskState(9) });
    expect(pending.isFullyAcknowledged()).toBe(true);

    const metadata = pending.createMetadata();
    expect(metadata).toMatchObject({
      version: 1,
      jobId,
      checkpointId: 3,
      timestamp: 500,
      snapshotType: 'CHECKPOINT',
    });
    expect(metadata.operators.map((op) => [op.uid, Object.keys(op.subtaskStates).sort()])).toEqual([
      ['source', ['0', '1']],
      ['map', []],
      ['sink', ['0']],
    ]);
    expect(metadata.operators[2]?.subtaskStates['0']).toEqual(testingSubtaskState(9));
  });

  it('finalizes into a completed checkpoint that writes _metadata', async () => {
    const { source, sink, storage, pending, completion } = await setup();
    for (const task of [...source.tasks, ...sink.tasks]) pending.acknowledgeTask(task.attemptId, undefined);
    const completed = await pending.finalizeCheckpoint(900);
    expect(pending.isFinalizing()).toBe(true);
    expect(storage.location(3)?.finalizedMetadata).toEqual(completed.metadata);
    expect(completed).toMatchObject({ checkpointId: 3, timestamp: 500, completionTimestamp: 900 });
    pending.markCompleted(completed);
    expect(pending.getStatus()).toBe('COMPLETED');
    await expect(completion.promise).resolves.toBe(completed);
    expect(pending.abort(new CheckpointException('CHECKPOINT_EXPIRED'))).toBe(false);
  });

  it('refuses to finalize before every task acknowledged', async () => {
    const { pending } = await setup();
    await expect(pending.finalizeCheckpoint(1)).rejects.toThrow(/not fully acknowledged/);
  });

  it('aborts: rejects the completion, disposes the location, cancels the timeout', async () => {
    const { storage, pending, completion } = await setup();
    let cancelled = false;
    pending.setCancellerHandle({ cancel: () => (cancelled = true) });
    const reason = new CheckpointException('CHECKPOINT_EXPIRED');
    expect(pending.abort(reason)).toBe(true);
    expect(pending.abort(reason)).toBe(false);
    await expect(completion.promise).rejects.toBe(reason);
    expect(storage.location(3)?.disposed).toBe(true);
    expect(cancelled).toBe(true);
    expect(pending.getFailureCause()).toBe(reason);
    expect(pending.isDisposed()).toBe(true);
  });

  it('does not take a location once aborted', async () => {
    const { jobId, storage, pending } = await setup();
    pending.abort(new CheckpointException('CHECKPOINT_SUBSUMED'));
    expect(
      pending.setCheckpointStorageLocation(await storage.initializeLocationForCheckpoint(jobId, 4)),
    ).toBe(false);
    expect(pending.canBeSubsumed()).toBe(true);
  });
});
