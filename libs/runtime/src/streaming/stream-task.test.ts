import { describe, expect, it } from 'vitest';

import { OperatorID } from '../core/ids.js';
import type { Environment } from '../execution/environment.js';
import { TestingEnvironment } from '../execution/testing/testing-environment.js';
import { TestingInputGate } from '../execution/testing/testing-input-gate.js';
import { TestingRecordWriter } from '../execution/testing/testing-record-writer.js';
import { TestingTaskStateManager } from '../execution/testing/testing-task-state-manager.js';
import { KeyedReduceOperator } from './operators.js';
import type { StreamChainConfig } from './stream-config.js';
import { StreamTask } from './stream-task.js';
import { LoggingOperator } from './testing/logging-operator.js';
import { barrierOf, RecordingWriter, restoreOf, until } from './testing/stream-test-utils.js';

function taskOf(config: StreamChainConfig, environment: Environment): StreamTask {
  return new StreamTask(environment, config);
}

function loggingChain(log: string[], outputs = 1): StreamChainConfig {
  return {
    operators: [{ uid: 'log', name: 'Log', factory: () => new LoggingOperator<number>(log) }],
    outputs: Array.from({ length: outputs }, () => ({})),
  };
}

function twoChannelSetup() {
  const log: string[] = [];
  const gate = new TestingInputGate([[], []], { endOfPartition: false, recordsPerBuffer: 1 });
  const writer = new RecordingWriter<number>();
  const taskStateManager = new TestingTaskStateManager();
  const environment = new TestingEnvironment({ inputGates: [gate], writers: [writer], taskStateManager });
  const task = taskOf(loggingChain(log), environment);
  return { log, gate, writer, taskStateManager, environment, task };
}

describe('StreamTask with two input channels', () => {
  it('aligns barriers: records after a barrier wait for the snapshot, which is forwarded and acknowledged once', async () => {
    const { log, gate, writer, taskStateManager, task } = twoChannelSetup();
    const running = task.invoke();
    gate.addRecords(0, [1]);
    gate.addEvent(0, barrierOf(1));
    gate.addRecords(0, [2, 3]);
    gate.addRecords(1, [10]);
    await until(() => log.includes('r1') && log.includes('r10'), 'the records before the barrier');
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(log).not.toContain('r2');
    expect(gate.isChannelBlocked(0)).toBe(true);

    gate.addRecords(1, [11]);
    gate.addEvent(1, barrierOf(1));
    gate.addRecords(1, [12]);
    await until(() => log.includes('r3') && log.includes('r12'), 'the records after the barrier');
    const snapshotAt = log.indexOf('snapshot 1');
    expect(snapshotAt).toBeGreaterThan(log.indexOf('r11'));
    expect(snapshotAt).toBeLessThan(log.indexOf('r2'));
    expect(snapshotAt).toBeLessThan(log.indexOf('r12'));
    expect(gate.isChannelBlocked(0)).toBe(false);

    await until(() => taskStateManager.acknowledged.length === 1, 'the acknowledgement');
    expect(writer.barriers().map((barrier) => barrier.checkpointId)).toEqual([1]);
    expect(writer.recordsBefore(1).sort((a, b) => a - b)).toEqual([1, 10, 11]);
    const ack = taskStateManager.acknowledged[0];
    expect(ack?.checkpointId).toBe(1);
    expect(ack?.snapshot[OperatorID.fromUid('log')]?.managedOperatorState).toHaveLength(1);
    expect(ack?.metrics.stateSize).toBeGreaterThan(0);
    expect(ack?.metrics.alignmentDurationMs).toBeGreaterThanOrEqual(0);

    gate.endChannel(0);
    gate.endChannel(1);
    await running;
    expect(log.slice(-2)).toEqual(['end', 'close']);
    expect(task.getState()).toBe('FINISHED');
    expect(taskStateManager.acknowledged).toHaveLength(1);
    expect(taskStateManager.declined).toEqual([]);
  });

  it('declines an alignment that a newer barrier overtakes and snapshots the newer one', async () => {
    const { log, gate, writer, taskStateManager, task } = twoChannelSetup();
    const running = task.invoke();
    gate.addEvent(0, barrierOf(1));
    gate.addRecords(0, [1]);
    gate.addEvent(1, barrierOf(2));
    gate.addEvent(0, barrierOf(2));
    gate.endChannel(0);
    gate.endChannel(1);
    await running;
    expect(taskStateManager.declined.map(({ checkpointId, reason }) => [checkpointId, reason])).toEqual([
      [1, 'CHECKPOINT_SUBSUMED'],
    ]);
    expect(taskStateManager.acknowledged.map((ack) => ack.checkpointId)).toEqual([2]);
    expect(writer.barriers().map((barrier) => barrier.checkpointId)).toEqual([2]);
    expect(log).toContain('snapshot 2');
    expect(log).not.toContain('snapshot 1');
  });

  it('counts an ended channel as aligned', async () => {
    const { gate, taskStateManager, task } = twoChannelSetup();
    const running = task.invoke();
    gate.addEvent(0, barrierOf(1));
    gate.endChannel(1);
    await until(() => taskStateManager.acknowledged.length === 1, 'the acknowledgement');
    gate.endChannel(0);
    await running;
  });

  it('runs checkpoint notifications as mails and aborts the alignment of an aborted checkpoint', async () => {
    const { log, gate, task } = twoChannelSetup();
    const running = task.invoke();
    gate.addEvent(0, barrierOf(1));
    gate.addRecords(0, [5]);
    await until(() => gate.isChannelBlocked(0), 'channel 0 blocked');
    await task.notifyCheckpointAbortAsync(1, 0);
    await until(() => log.includes('r5'), 'the blocked record after the abort');
    expect(log).toContain('aborted 1');
    await task.notifyCheckpointCompleteAsync(3);
    expect(log).toContain('complete 3');
    gate.endChannel(0);
    gate.endChannel(1);
    await running;
    expect(await task.triggerCheckpointAsync({ checkpointId: 9, timestamp: 0 }, barrierOf(9).options)).toBe(
      false,
    );
  });

  it('stops after a synchronous savepoint without drain: no endInput, and only once it completed', async () => {
    const { log, gate, writer, task } = twoChannelSetup();
    const running = task.invoke();
    let finished = false;
    void running.then(() => {
      finished = true;
    });
    const options = { snapshotType: 'SYNC_SAVEPOINT', drain: false, targetLocation: null } as const;
    gate.addEvent(0, barrierOf(4, options));
    gate.addEvent(1, barrierOf(4, options));
    gate.endChannel(0);
    gate.endChannel(1);
    await until(() => writer.barriers().length === 1, 'the savepoint barrier');
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(finished).toBe(false);
    await task.notifyCheckpointCompleteAsync(4);
    await running;
    expect(log).not.toContain('end');
    expect(log).toContain('complete 4');
  });

  it('waits for full writers instead of reading on', async () => {
    const log: string[] = [];
    const writer = new TestingRecordWriter<number>({ unavailableChecks: 3 });
    const gate = new TestingInputGate([[1, 2, 3, 4]], { recordsPerBuffer: 2 });
    const environment = new TestingEnvironment({ inputGates: [gate], writers: [writer] });
    await taskOf(loggingChain(log), environment).invoke();
    expect(writer.records).toEqual([1, 2, 3, 4]);
    expect(writer.availabilityWaits).toBeGreaterThan(0);
  });

  it('stops without endInput when cancelled while idle', async () => {
    const log: string[] = [];
    const gate = new TestingInputGate([[1]], { endOfPartition: false });
    const environment = new TestingEnvironment({ inputGates: [gate], writers: 1 });
    const task = taskOf(loggingChain(log), environment);
    const running = task.invoke();
    await until(() => log.includes('r1'), 'the first record');
    environment.cancel();
    await running;
    expect(task.getState()).toBe('CANCELED');
    expect(log).toEqual(['open', 'r1', 'close']);
  });

  it('restores keyed and operator state before the operators open', async () => {
    const config: StreamChainConfig = {
      operators: [
        { uid: 'sum', name: 'Sum', factory: () => new KeyedReduceOperator((a: number, b: number) => a + b) },
        { uid: 'log', name: 'Log', factory: () => new LoggingOperator<number>(log) },
      ],
      keyedInput: true,
      outputs: [{}],
    };
    const log: string[] = [];
    const firstGate = new TestingInputGate([[]], { endOfPartition: false });
    const firstState = new TestingTaskStateManager();
    const first = new TestingEnvironment({
      inputGates: [firstGate],
      writers: 1,
      taskStateManager: firstState,
    });
    const firstRun = taskOf(config, first).invoke();
    firstGate.addRecords(0, [
      ['a', 1],
      ['b', 5],
      ['a', 2],
    ]);
    firstGate.addEvent(0, barrierOf(3));
    firstGate.addRecords(0, [['a', 1000]]);
    await until(() => firstState.acknowledged.length === 1, 'the acknowledgement');
    first.cancel();
    await firstRun;

    log.length = 0;
    const ack = firstState.acknowledged[0];
    if (ack === undefined) throw new Error('no acknowledgement');
    const secondGate = new TestingInputGate([
      [
        ['a', 10],
        ['b', 10],
      ],
    ]);
    const writer = new RecordingWriter<number>();
    const second = new TestingEnvironment({
      inputGates: [secondGate],
      writers: [writer],
      taskStateManager: new TestingTaskStateManager(restoreOf(3, [ack.snapshot])),
    });
    await taskOf(config, second).invoke();
    expect(log.slice(0, 2)).toEqual(['restored 3', 'open']);
    expect(writer.records()).toEqual([13, 15]);
  });
});
