import { describe, expect, it } from 'vitest';

import { deferred } from '../core/async.js';
import { ManualClock } from '../core/clock.js';
import { CheckpointRequestDecider } from './checkpoint-request-decider.js';
import type { CheckpointTriggerRequest } from './checkpoint-request-decider.js';
import { CheckpointException } from './checkpoint-types.js';
import type { SnapshotType } from './checkpoint-types.js';
import type { CompletedCheckpoint } from './completed-checkpoint.js';

let sequence = 0;
function request(snapshotType: SnapshotType, isPeriodic: boolean, timestamp = 0): CheckpointTriggerRequest {
  const completion = deferred<CompletedCheckpoint>();
  completion.promise.catch(() => undefined);
  return {
    snapshotType,
    savepointFormat: null,
    drain: false,
    targetLocation: null,
    isPeriodic,
    timestamp,
    sequence: sequence++,
    completion,
  };
}

async function reason(r: CheckpointTriggerRequest) {
  try {
    await r.completion.promise;
  } catch (error) {
    return (error as CheckpointException).reason;
  }
  return undefined;
}

function decider(options: { pending?: () => number; minPause?: number; maxQueued?: number } = {}) {
  const clock = new ManualClock(10_000);
  const rescheduled: number[] = [];
  const d = new CheckpointRequestDecider({
    maxConcurrentCheckpoints: 1,
    minPauseBetweenCheckpoints: options.minPause ?? 0,
    rescheduleTrigger: (delay) => rescheduled.push(delay),
    clock,
    numberOfPendingCheckpoints: options.pending ?? (() => 0),
    ...(options.maxQueued !== undefined ? { maxQueuedRequests: options.maxQueued } : {}),
  });
  return { d, clock, rescheduled };
}

describe('CheckpointRequestDecider', () => {
  it('executes nothing while triggering, then savepoints first, manual before periodic, oldest first', () => {
    const { d } = decider();
    const periodic = request('CHECKPOINT', true, 1);
    const manualLate = request('CHECKPOINT', false, 5);
    const manualEarly = request('CHECKPOINT', false, 2);
    const savepoint = request('SAVEPOINT', false, 9);
    for (const r of [periodic, manualLate, manualEarly, savepoint]) {
      expect(d.chooseRequestToExecute(r, true, Number.NEGATIVE_INFINITY)).toBeUndefined();
    }
    const order = [];
    for (
      let r = d.chooseQueuedRequestToExecute(false, 0);
      r !== undefined;
      r = d.chooseQueuedRequestToExecute(false, 0)
    ) {
      order.push(r);
    }
    expect(order).toEqual([savepoint, manualEarly, manualLate, periodic]);
  });

  it('lets only savepoints pass while max concurrent checkpoints are pending', () => {
    const { d } = decider({ pending: () => 1 });
    const checkpoint = request('CHECKPOINT', false);
    expect(d.chooseRequestToExecute(checkpoint, false, 0)).toBeUndefined();
    const savepoint = request('SYNC_SAVEPOINT', false);
    expect(d.chooseRequestToExecute(savepoint, false, 0)).toBe(savepoint);
    expect(d.getNumQueuedRequests()).toBe(1);
  });

  it('rejects a periodic request within the min pause and reschedules the trigger', async () => {
    const { d, rescheduled } = decider({ minPause: 500 });
    const periodic = request('CHECKPOINT', true);
    expect(d.chooseRequestToExecute(periodic, false, 9_800)).toBeUndefined();
    expect(await reason(periodic)).toBe('MINIMUM_TIME_BETWEEN_CHECKPOINTS');
    expect(rescheduled).toEqual([300]);
    const manual = request('CHECKPOINT', false);
    expect(d.chooseRequestToExecute(manual, false, 9_800)).toBe(manual);
  });

  it('drops periodic requests first when the queue is full, then new ones', async () => {
    const { d } = decider({ pending: () => 1, maxQueued: 2 });
    const periodic = request('CHECKPOINT', true);
    const manual1 = request('CHECKPOINT', false);
    const manual2 = request('CHECKPOINT', false);
    const manual3 = request('CHECKPOINT', false);
    d.chooseRequestToExecute(periodic, false, 0);
    d.chooseRequestToExecute(manual1, false, 0);
    d.chooseRequestToExecute(manual2, false, 0);
    expect(await reason(periodic)).toBe('TOO_MANY_CHECKPOINT_REQUESTS');
    d.chooseRequestToExecute(manual3, false, 0);
    expect(await reason(manual3)).toBe('TOO_MANY_CHECKPOINT_REQUESTS');
    expect(d.getNumQueuedRequests()).toBe(2);

    d.abortAll(new CheckpointException('CHECKPOINT_COORDINATOR_SHUTDOWN'));
    expect(await reason(manual1)).toBe('CHECKPOINT_COORDINATOR_SHUTDOWN');
    expect(d.getNumQueuedRequests()).toBe(0);
  });
});
