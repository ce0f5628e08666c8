import { describe, expect, it } from 'vitest';

import { IllegalArgumentError, IllegalStateError } from '../../core/errors.js';
import { TestingEnvironment, TestingRecordWriter } from '../testing/testing-environment.js';
import { SequenceSourceTask } from './sequence-source.js';
import { InvalidTaskConfigurationError } from './task-config.js';

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('SequenceSourceTask', () => {
  it('is registered as eddy.sequence-source', () => {
    expect(SequenceSourceTask.invokableName).toBe('eddy.sequence-source');
  });

  it('emits [from, to] in order, from defaulting to 1', async () => {
    const env = new TestingEnvironment({ taskConfiguration: { 'sequence.to': 10 } });
    await env.invoke(SequenceSourceTask);
    expect(env.getTestingWriter().records).toEqual(range(1, 10));
  });

  it('splits the range into contiguous, even slices by subtask', async () => {
    const slices: number[][] = [];
    for (let subtask = 0; subtask < 3; subtask++) {
      const env = new TestingEnvironment({
        subtaskIndex: subtask,
        parallelism: 3,
        taskConfiguration: { 'sequence.from': '5', 'sequence.to': '14' },
      });
      await env.invoke(SequenceSourceTask);
      slices.push(env.getTestingWriter<number>().records);
    }
    expect(slices).toEqual([range(5, 8), range(9, 11), range(12, 14)]);
  });

  it('gives subtasks beyond the range length nothing', async () => {
    const env = new TestingEnvironment({
      subtaskIndex: 3,
      parallelism: 4,
      taskConfiguration: { 'sequence.to': 3 },
    });
    await env.invoke(SequenceSourceTask);
    expect(env.getTestingWriter().records).toEqual([]);
  });

  it('emits every number to every writer', async () => {
    const env = new TestingEnvironment({
      writers: 2,
      taskConfiguration: { 'sequence.from': 0, 'sequence.to': 4 },
    });
    await env.invoke(SequenceSourceTask);
    expect(env.getTestingWriter(0).records).toEqual(range(0, 4));
    expect(env.getTestingWriter(1).records).toEqual(range(0, 4));
  });

  it('finishes at once without writers', async () => {
    const env = new TestingEnvironment({ writers: 0, taskConfiguration: { 'sequence.to': 1e12 } });
    await env.invoke(SequenceSourceTask);
  });

  it('checks the writer after every record and waits only while it is unavailable', async () => {
    const writer = new TestingRecordWriter({ unavailableChecks: 3 });
    const env = new TestingEnvironment({ writers: [writer], taskConfiguration: { 'sequence.to': 1000 } });
    await env.invoke(SequenceSourceTask);
    expect(writer.records).toEqual(range(1, 1000));
    expect(writer.availabilityChecks).toBeGreaterThanOrEqual(1000);
    expect(writer.availabilityWaits).toBeGreaterThanOrEqual(1);
    expect(writer.availabilityWaits).toBeLessThanOrEqual(3);
    expect(writer.finished).toBe(false);
  });

  it('yields to the event loop while emitting', async () => {
    const env = new TestingEnvironment({ taskConfiguration: { 'sequence.to': 100_000 } });
    let emittedWhenTimerRan = -1;
    setImmediate(() => (emittedWhenTimerRan = env.getTestingWriter().records.length));
    await env.invoke(SequenceSourceTask);
    expect(emittedWhenTimerRan).toBeGreaterThan(0);
    expect(emittedWhenTimerRan).toBeLessThan(100_000);
  });

  it('stops without error when cancelled', async () => {
    const env = new TestingEnvironment({ taskConfiguration: { 'sequence.to': 1e12 } });
    const writer = env.getTestingWriter();
    const invoked = env.invoke(SequenceSourceTask);
    while (writer.records.length < 10_000) await new Promise((resolve) => setImmediate(resolve));
    env.cancel();
    await invoked;
    const emitted = writer.records.length;
    expect(emitted).toBeLessThan(1e6);
    expect(writer.records.at(-1)).toBe(emitted);
  });

  it('fails when a writer fails while the source waits for it', async () => {
    const writer = new TestingRecordWriter({ unavailableChecks: 1 });
    const env = new TestingEnvironment({ writers: [writer], taskConfiguration: { 'sequence.to': 10 } });
    writer.release(new IllegalStateError('disk on fire'));
    await expect(env.invoke(SequenceSourceTask)).rejects.toThrow('disk on fire');
  });

  describe('configuration', () => {
    it('requires sequence.to', async () => {
      const env = new TestingEnvironment();
      const failure = env.invoke(SequenceSourceTask);
      await expect(failure).rejects.toBeInstanceOf(InvalidTaskConfigurationError);
      await expect(failure).rejects.toMatchObject({
        key: 'sequence.to',
        invokableName: 'eddy.sequence-source',
      });
    });

    it('names the key holding a value that is not a whole number', async () => {
      const env = new TestingEnvironment({ taskConfiguration: { 'sequence.from': '1.5', 'sequence.to': 3 } });
      const failure = env.invoke(SequenceSourceTask);
      await expect(failure).rejects.toBeInstanceOf(IllegalArgumentError);
      await expect(failure).rejects.toThrow("'sequence.from'");
    });

    it('rejects to < from, naming both keys', async () => {
      const env = new TestingEnvironment({ taskConfiguration: { 'sequence.from': 5, 'sequence.to': 4 } });
      await expect(env.invoke(SequenceSourceTask)).rejects.toThrow(/'sequence\.to'.*'sequence\.from'/);
    });
  });
});
