import { describe, expect, it } from 'vitest';

import { TestingEnvironment, TestingInputGate } from '../testing/testing-environment.js';
import { consumeInputs, EventLoopYielder, RECORDS_BETWEEN_YIELDS, subtaskSlice } from './data-path.js';

describe('subtaskSlice', () => {
  it.each([
    [10, 3],
    [2, 5],
    [0, 4],
    [1_000_001, 7],
  ])('covers %i items over %i subtasks exactly once, contiguously and evenly', (total, parallelism) => {
    let next = 0;
    const counts: number[] = [];
    for (let index = 0; index < parallelism; index++) {
      const { start, count } = subtaskSlice(total, index, parallelism);
      expect(start).toBe(next);
      next += count;
      counts.push(count);
    }
    expect(next).toBe(total);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });
});

describe('EventLoopYielder', () => {
  it('asks for a yield every RECORDS_BETWEEN_YIELDS records', () => {
    const yielder = new EventLoopYielder();
    expect(yielder.add(RECORDS_BETWEEN_YIELDS - 1)).toBe(false);
    expect(yielder.add(1)).toBe(true);
    expect(yielder.add(1)).toBe(false);
  });
});

describe('consumeInputs', () => {
  it('hands over every batch of every gate', async () => {
    const env = new TestingEnvironment({
      inputGates: [TestingInputGate.of([1, 2, 3]), TestingInputGate.of([4])],
    });
    const batches: (readonly unknown[])[] = [];
    await consumeInputs(env, (batch) => batches.push(batch));
    expect(batches.flat().sort()).toEqual([1, 2, 3, 4]);
    expect(batches).toHaveLength(3);
  });

  it('rejects with the error of onBatch and stops reading the other gates', async () => {
    const other = new TestingInputGate([[1, 2, 3, 4, 5, 6]], { recordsPerBuffer: 1, endOfPartition: false });
    const env = new TestingEnvironment({ inputGates: [TestingInputGate.of(['bad']), other] });
    const seen: unknown[] = [];
    const failure = consumeInputs(env, (batch) => {
      if (batch[0] === 'bad') throw new Error('bad record');
      seen.push(...batch);
    });
    await expect(failure).rejects.toThrow('bad record');
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen.length).toBeLessThan(6);
  });

  it('yields to the event loop on long inputs', async () => {
    const records = Array.from({ length: 50_000 }, (_, i) => i);
    const env = new TestingEnvironment({
      inputGates: [new TestingInputGate([records], { recordsPerBuffer: 100 })],
    });
    let read = 0;
    let readWhenTimerRan = -1;
    setImmediate(() => (readWhenTimerRan = read));
    await consumeInputs(env, (batch) => (read += batch.length));
    expect(read).toBe(50_000);
    expect(readWhenTimerRan).toBeGreaterThan(0);
    expect(readWhenTimerRan).toBeLessThan(50_000);
  });
});
