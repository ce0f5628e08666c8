import { describe, expect, it } from 'vitest';

import { LongCounter } from '../accumulators.js';
import { TestingEnvironment, TestingInputGate } from '../testing/testing-environment.js';
import { CollectSinkTask } from './collect-sink.js';
import { CountSinkTask } from './count-sink.js';
import { DiscardSinkTask } from './discard-sink.js';
import { InvalidTaskConfigurationError } from './task-config.js';

describe('CollectSinkTask', () => {
  it("adds every record of every input to the list accumulator 'collected'", async () => {
    const env = new TestingEnvironment({
      inputGates: [TestingInputGate.of([1, 2, 3], [4]), TestingInputGate.of([5, 6])],
      writers: 0,
    });
    await env.invoke(CollectSinkTask);
    const snapshot = env.getAccumulatorRegistry().snapshot();
    expect(Object.keys(snapshot)).toEqual(['collected']);
    expect(snapshot['collected']?.type).toBe('List');
    expect([...(snapshot['collected']?.value as number[])].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps the order of one channel and uses the configured accumulator name', async () => {
    const env = new TestingEnvironment({
      inputGates: [TestingInputGate.of(['a', 'b', 'c', 'd', 'e'])],
      taskConfiguration: { 'collect.accumulator': 'words' },
    });
    await env.invoke(CollectSinkTask);
    expect(env.getAccumulatorRegistry().getAccumulator('words')?.getLocalValue()).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
    ]);
  });

  it('rejects an empty accumulator name', async () => {
    const env = new TestingEnvironment({ taskConfiguration: { 'collect.accumulator': ' ' } });
    await expect(env.invoke(CollectSinkTask)).rejects.toMatchObject({ key: 'collect.accumulator' });
  });

  it('rejects a name taken by another kind of accumulator', async () => {
    const env = new TestingEnvironment();
    env.getAccumulatorRegistry().addAccumulator('collected', new LongCounter());
    const failure = env.invoke(CollectSinkTask);
    await expect(failure).rejects.toBeInstanceOf(InvalidTaskConfigurationError);
    await expect(failure).rejects.toThrow("'collect.accumulator'");
  });
});

describe('CountSinkTask', () => {
  it("counts the records of every input into the LongCounter 'count'", async () => {
    const env = new TestingEnvironment({
      inputGates: [TestingInputGate.of([1, 2, 3], []), TestingInputGate.of(['x', 'y'])],
    });
    await env.invoke(CountSinkTask);
    expect(env.getAccumulatorRegistry().snapshot()).toEqual({ count: { type: 'LongCounter', value: 5 } });
  });

  it('uses the configured accumulator name', async () => {
    const env = new TestingEnvironment({
      inputGates: [TestingInputGate.of([1])],
      taskConfiguration: { 'count.accumulator': 'seen' },
    });
    await env.invoke(CountSinkTask);
    expect(env.getAccumulatorRegistry().getAccumulator('seen')?.getLocalValue()).toBe(1);
  });

  it('rejects a name taken by another kind of accumulator', async () => {
    const env = new TestingEnvironment({ taskConfiguration: { 'count.accumulator': 'collected' } });
    await env.invoke(CollectSinkTask);
    await expect(env.invoke(CountSinkTask)).rejects.toMatchObject({ key: 'count.accumulator' });
  });
});

describe('DiscardSinkTask', () => {
  it('reads every input to its end and keeps nothing', async () => {
    const gate = TestingInputGate.of([1, 2, 3], [4, 5]);
    const env = new TestingEnvironment({ inputGates: [gate] });
    await env.invoke(DiscardSinkTask);
    expect(gate.isFinished()).toBe(true);
    expect(env.getIOMetrics()).toMatchObject({ numRecordsIn: 5, numBuffersIn: 3 });
    expect(env.getAccumulatorRegistry().snapshot()).toEqual({});
  });

  it('stops without error when cancelled while its input is open', async () => {
    const env = new TestingEnvironment({
      inputGates: [new TestingInputGate([[1]], { endOfPartition: false })],
    });
    const invoked = env.invoke(DiscardSinkTask);
    await new Promise((resolve) => setImmediate(resolve));
    env.cancel();
    await invoked;
  });
});
