import { describe, expect, it } from 'vitest';

import { ExecutionAttemptID, ExecutionVertexID, JobVertexID } from '../core/ids.js';
import {
  CheckpointFailureManager,
  CheckpointToleranceExceededError,
  EXCEEDED_CHECKPOINT_TOLERABLE_FAILURE_MESSAGE,
} from './checkpoint-failure-manager.js';
import { CheckpointException, CheckpointFailureReason } from './checkpoint-types.js';

function manager(tolerable: number) {
  const calls: { cause: Error; failingTask: ExecutionAttemptID | undefined }[] = [];
  const fm = new CheckpointFailureManager(tolerable, (cause, failingTask) =>
    calls.push({ cause, failingTask }),
  );
  const fail = (reason: CheckpointFailureReason, checkpointId: number | undefined) => {
    fm.handleJobLevelCheckpointException(new CheckpointException(reason), checkpointId);
  };
  return { fm, calls, fail };
}

describe('CheckpointFailureManager (Flink CheckpointFailureManagerTest)', () => {
  it('testContinuousFailure: the third consecutive counted failure exceeds a tolerance of 2', () => {
    const { calls, fail } = manager(2);
    fail('CHECKPOINT_DECLINED', 1);
    fail('CHECKPOINT_DECLINED', 2);
    fail('JOB_FAILOVER_REGION', 3); // ignored
    fail('CHECKPOINT_DECLINED', 4);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.cause).toBeInstanceOf(CheckpointToleranceExceededError);
    expect(calls[0]?.cause.message).toBe(EXCEEDED_CHECKPOINT_TOLERABLE_FAILURE_MESSAGE);
    expect(calls[0]?.failingTask).toBeUndefined();
  });

  it('testBreakContinuousFailure: a success resets the count', () => {
    const { fm, calls, fail } = manager(2);
    fail('IO_EXCEPTION', 1);
    fail('CHECKPOINT_DECLINED', 2);
    fail('JOB_FAILOVER_REGION', 3);
    fm.handleCheckpointSuccess(4);
    fail('CHECKPOINT_EXPIRED', 5);
    expect(calls).toHaveLength(0);
    expect(fm.getContinuousFailureCount()).toBe(1);
  });

  it('testIgnoreOneCheckpointRepeatedlyCountMultiTimes: one checkpoint counts once', () => {
    const { calls, fail } = manager(2);
    fail('CHECKPOINT_DECLINED', 1);
    fail('CHECKPOINT_DECLINED', 2);
    fail('JOB_FAILOVER_REGION', 3);
    fail('CHECKPOINT_DECLINED', 2);
    expect(calls).toHaveLength(0);
  });

  it('testTotalCountValue: exactly the 5 counted reasons fail the job at tolerance 0', () => {
    const { calls, fail } = manager(0);
    for (const reason of Object.keys(CheckpointFailureReason) as CheckpointFailureReason[])
      fail(reason, undefined);
    expect(calls).toHaveLength(5);
  });

  it('testIgnoresPastCheckpoints: failures older than the last success are ignored', () => {
    const { fm, calls, fail } = manager(2);
    fail('CHECKPOINT_EXPIRED', 1);
    fail('CHECKPOINT_EXPIRED', 2);
    fm.handleCheckpointSuccess(2);
    fail('CHECKPOINT_EXPIRED', 1);
    fail('CHECKPOINT_EXPIRED', 3);
    fail('CHECKPOINT_EXPIRED', 4);
    expect(calls).toHaveLength(0);
  });

  it('restarts counting after it failed the job', () => {
    const { calls, fail } = manager(1);
    fail('CHECKPOINT_EXPIRED', 1);
    fail('CHECKPOINT_EXPIRED', 2);
    fail('CHECKPOINT_EXPIRED', 3);
    expect(calls).toHaveLength(1);
    fail('CHECKPOINT_EXPIRED', 4);
    expect(calls).toHaveLength(2);
  });

  it('never counts savepoints on the JobMaster side; always fails on a declined sync savepoint', () => {
    const { fm, calls } = manager(5);
    fm.handleJobLevelCheckpointException(new CheckpointException('CHECKPOINT_EXPIRED'), 1, 'SAVEPOINT');
    fm.handleJobLevelCheckpointException(new CheckpointException('CHECKPOINT_EXPIRED'), 2, 'SYNC_SAVEPOINT');
    expect(calls).toHaveLength(0);
    const task = ExecutionAttemptID.generate(ExecutionVertexID.of(JobVertexID.generate(), 0));
    const declined = new CheckpointException('TASK_CHECKPOINT_FAILURE');
    fm.handleTaskLevelCheckpointException(declined, 3, 'SYNC_SAVEPOINT', task);
    expect(calls).toEqual([{ cause: declined, failingTask: undefined }]);
  });

  it('names the declining task of a task-level failure', () => {
    const { fm, calls } = manager(0);
    const task = ExecutionAttemptID.generate(ExecutionVertexID.of(JobVertexID.generate(), 1));
    fm.handleCheckpointException(new CheckpointException('CHECKPOINT_DECLINED'), 7, 'CHECKPOINT', task);
    expect(calls[0]?.failingTask).toBe(task);
  });

  it('rejects a negative tolerance', () => {
    expect(() => new CheckpointFailureManager(-1, () => undefined)).toThrow(/tolerable/);
  });
});
