import { describe, expect, it } from 'vitest';

import { JobID } from '../core/ids.js';
import type { JobStatus } from '../executiongraph/job-status.js';
import { CheckpointRetentionPolicy } from '../jobgraph/checkpointing-settings.js';
import { INITIAL_CHECKPOINT_ID, StandaloneCheckpointIDCounter } from './checkpoint-id-counter.js';
import type { SnapshotType } from './checkpoint-types.js';
import { CompletedCheckpoint, shouldDiscardOnShutdown } from './completed-checkpoint.js';
import { StandaloneCompletedCheckpointStore } from './completed-checkpoint-store.js';

const jobId = JobID.generate();

function checkpoint(checkpointId: number, snapshotType: SnapshotType = 'CHECKPOINT', failDispose = false) {
  const disposed: number[] = [];
  const discarded: number[] = [];
  const cp = new CompletedCheckpoint({
    jobId,
    checkpointId,
    timestamp: checkpointId * 100,
    completionTimestamp: checkpointId * 100 + 10,
    snapshotType,
    metadata: { version: 1, jobId, checkpointId, timestamp: checkpointId * 100, snapshotType, operators: [] },
    externalPointer: `/chk-${checkpointId}`,
    storageLocation: {
      dispose: () => {
        disposed.push(checkpointId);
        return failDispose ? Promise.reject(new Error('io')) : Promise.resolve();
      },
    },
    onDiscarded: () => discarded.push(checkpointId),
  });
  return { cp, disposed, discarded };
}

describe('StandaloneCompletedCheckpointStore', () => {
  it('testAddCheckpointMoreThanMaxRetained: discards the oldest beyond num-retained', async () => {
    const store = new StandaloneCompletedCheckpointStore(2);
    const [c1, c2, c3, c4] = [1, 2, 3, 4].map((id) => checkpoint(id));
    expect(await store.addCheckpointAndSubsumeOldestOne(c1!.cp)).toBeUndefined();
    expect(await store.addCheckpointAndSubsumeOldestOne(c2!.cp)).toBeUndefined();
    expect(await store.addCheckpointAndSubsumeOldestOne(c3!.cp)).toBe(c1!.cp);
    expect(c1!.disposed).toEqual([1]);
    expect(c1!.discarded).toEqual([1]);
    expect(c1!.cp.isDiscarded()).toBe(true);
    await store.addCheckpointAndSubsumeOldestOne(c4!.cp);
    expect(store.getAllCheckpoints().map((cp) => cp.checkpointId)).toEqual([3, 4]);
    expect(store.getLatestCheckpoint()).toBe(c4!.cp);
    expect(store.getLatestCheckpointId()).toBe(4);
    expect(c2!.disposed).toEqual([2]);
    expect(c3!.disposed).toEqual([]);
  });

  it('keeps 1 by default and reports 0 as the latest ID when empty', async () => {
    const store = new StandaloneCompletedCheckpointStore();
    expect(store.getMaxNumberOfRetainedCheckpoints()).toBe(1);
    expect(store.getLatestCheckpoint()).toBeUndefined();
    expect(store.getLatestCheckpointId()).toBe(0);
    await store.addCheckpointAndSubsumeOldestOne(checkpoint(1).cp);
    await store.addCheckpointAndSubsumeOldestOne(checkpoint(2).cp);
    expect(store.getNumberOfRetainedCheckpoints()).toBe(1);
    expect(() => new StandaloneCompletedCheckpointStore(0)).toThrow(/at least 1/);
  });

  it('subsumes a stored savepoint without discarding it, and never the latest', async () => {
    const store = new StandaloneCompletedCheckpointStore(1);
    const sp = checkpoint(1, 'SAVEPOINT');
    await store.addCheckpointAndSubsumeOldestOne(sp.cp);
    const c2 = checkpoint(2);
    expect(await store.addCheckpointAndSubsumeOldestOne(c2.cp)).toBe(sp.cp);
    expect(sp.disposed).toEqual([]);
    expect(store.getAllCheckpoints()).toEqual([c2.cp]);
  });

  it('does not fail when discarding fails', async () => {
    const store = new StandaloneCompletedCheckpointStore(1);
    const c1 = checkpoint(1, 'CHECKPOINT', true);
    await store.addCheckpointAndSubsumeOldestOne(c1.cp);
    await expect(store.addCheckpointAndSubsumeOldestOne(checkpoint(2).cp)).resolves.toBe(c1.cp);
    expect(c1.disposed).toEqual([1]);
  });

  const matrix: [CheckpointRetentionPolicy, JobStatus, boolean][] = [
    ['NEVER_RETAIN_AFTER_TERMINATION', 'FINISHED', true],
    ['NEVER_RETAIN_AFTER_TERMINATION', 'CANCELED', true],
    ['NEVER_RETAIN_AFTER_TERMINATION', 'FAILED', true],
    ['NEVER_RETAIN_AFTER_TERMINATION', 'SUSPENDED', true],
    ['RETAIN_ON_CANCELLATION', 'FINISHED', true],
    ['RETAIN_ON_CANCELLATION', 'CANCELED', false],
    ['RETAIN_ON_CANCELLATION', 'FAILED', false],
    ['RETAIN_ON_CANCELLATION', 'SUSPENDED', false],
    ['RETAIN_ON_FAILURE', 'FINISHED', true],
    ['RETAIN_ON_FAILURE', 'CANCELED', true],
    ['RETAIN_ON_FAILURE', 'FAILED', false],
    ['RETAIN_ON_FAILURE', 'SUSPENDED', true],
    ['NEVER_RETAIN_AFTER_TERMINATION', 'RUNNING', false],
  ];
  it.each(matrix)('shutdown with %s in %s discards: %s', async (policy, status, discards) => {
    expect(shouldDiscardOnShutdown(policy, status)).toBe(discards);
    const store = new StandaloneCompletedCheckpointStore(2);
    const c1 = checkpoint(1);
    const sp = checkpoint(2, 'SAVEPOINT');
    await store.addCheckpointAndSubsumeOldestOne(c1.cp);
    await store.addCheckpointAndSubsumeOldestOne(sp.cp);
    await store.shutdown(status, policy);
    // A SUSPENDED job is recovered from its checkpoints, so the store keeps them whatever the
    // policy says (as Flink's DefaultCompletedCheckpointStore on a non-globally-terminal status).
    expect(c1.disposed).toEqual(discards && status !== 'SUSPENDED' ? [1] : []);
    expect(sp.disposed).toEqual([]);
    expect(store.getNumberOfRetainedCheckpoints()).toBe(0);
  });

  it('discards a checkpoint once however often discard is called', async () => {
    const c = checkpoint(1);
    await Promise.all([c.cp.discard(), c.cp.discard()]);
    expect(c.disposed).toEqual([1]);
    expect(c.discarded).toEqual([1]);
    expect(CheckpointRetentionPolicy.RETAIN_ON_FAILURE).toBe('RETAIN_ON_FAILURE');
  });
});

describe('StandaloneCheckpointIDCounter', () => {
  it('starts at 1 and increments', async () => {
    const counter = new StandaloneCheckpointIDCounter();
    expect(INITIAL_CHECKPOINT_ID).toBe(1);
    expect(await counter.get()).toBe(1);
    expect(await counter.getAndIncrement()).toBe(1);
    expect(await counter.getAndIncrement()).toBe(2);
    await counter.setCount(10);
    expect(await counter.getAndIncrement()).toBe(10);
    expect(() => counter.setCount(0)).toThrow(/>= 1/);
  });
});
