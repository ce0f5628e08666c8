import { describe, expect, it } from 'vitest';

import { IllegalArgumentError } from '../../core/errors.js';
import { TestingEnvironment, TestingInputGate, TestingRecordWriter } from '../testing/testing-environment.js';
import { ForwardTask } from './forward.js';
import { SumByKeyTask } from './sum-by-key.js';
import { generateTextLines } from './text-generator.js';
import { TokenizerTask } from './tokenizer.js';

function turns(count = 5): Promise<void> {
  let chain = Promise.resolve();
  for (let i = 0; i < count; i++) chain = chain.then(() => new Promise((resolve) => setImmediate(resolve)));
  return chain;
}

describe('TokenizerTask', () => {
  it('emits [word, 1] for every whitespace-separated word, lowercased', async () => {
    const env = new TestingEnvironment({
      inputGates: [TestingInputGate.of(['Hello  World', ' hello\tthere ', '', 'ONE'])],
    });
    await env.invoke(TokenizerTask);
    expect(env.getTestingWriter().records).toEqual([
      ['hello', 1],
      ['world', 1],
      ['hello', 1],
      ['there', 1],
      ['one', 1],
    ]);
  });

  it('fails on a record that is not a string', async () => {
    const env = new TestingEnvironment({ inputGates: [TestingInputGate.of(['a', 42])] });
    const failure = env.invoke(TokenizerTask);
    await expect(failure).rejects.toBeInstanceOf(IllegalArgumentError);
    await expect(failure).rejects.toThrow('eddy.tokenizer expects strings but read a number');
  });

  it('reads all gates concurrently: an open gate does not hold back another', async () => {
    const open = new TestingInputGate([['a b']], { endOfPartition: false });
    const env = new TestingEnvironment({ inputGates: [open, TestingInputGate.of(['c'], ['d'])] });
    let done = false;
    const invoked = env.invoke(TokenizerTask).then(() => (done = true));
    await turns();
    const words = env.getTestingWriter<[string, number]>().records.map(([word]) => word);
    expect(words.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(done).toBe(false);
    open.addRecords(0, ['e']);
    open.endChannel(0);
    await invoked;
    expect(env.getTestingWriter().records).toHaveLength(5);
  });

  it('stops without error when cancelled while its input is open', async () => {
    const open = new TestingInputGate([['x']], { endOfPartition: false });
    const env = new TestingEnvironment({ inputGates: [open] });
    const invoked = env.invoke(TokenizerTask);
    await turns();
    env.cancel();
    await invoked;
    expect(env.getTestingWriter().records).toEqual([['x', 1]]);
  });
});

describe('SumByKeyTask', () => {
  it('emits one [key, sum] per key once all inputs ended, in first-seen order', async () => {
    const env = new TestingEnvironment({
      inputGates: [
        TestingInputGate.of(
          [
            ['a', 1],
            ['b', 2],
          ],
          [['a', 3]],
        ),
        TestingInputGate.of([
          [7, 1.5],
          ['b', -2],
          ['a', 1],
        ]),
      ],
    });
    await env.invoke(SumByKeyTask);
    const sums = new Map(env.getTestingWriter<[unknown, number]>().records);
    expect(sums).toEqual(
      new Map<unknown, number>([
        ['a', 5],
        ['b', 0],
        [7, 1.5],
      ]),
    );
    expect(env.getTestingWriter().records).toHaveLength(3);
    expect(env.getIOMetrics().numRecordsIn).toBe(6);
  });

  it('emits nothing before the end of input, and nothing when cancelled', async () => {
    const open = new TestingInputGate([[['a', 1]]], { endOfPartition: false });
    const env = new TestingEnvironment({ inputGates: [open] });
    const invoked = env.invoke(SumByKeyTask);
    await turns();
    expect(env.getTestingWriter().records).toEqual([]);
    env.cancel();
    await invoked;
    expect(env.getTestingWriter().records).toEqual([]);
  });

  it.each([['a'], [['a', '1']], [null]])(
    'fails on %o, which is not a [key, number] tuple',
    async (record) => {
      const env = new TestingEnvironment({ inputGates: [TestingInputGate.of([record])] });
      await expect(env.invoke(SumByKeyTask)).rejects.toThrow('eddy.sum-by-key expects [key, number] tuples');
    },
  );

  it('counts the words of generated text exactly (tokenizer, then sum-by-key)', async () => {
    const options = { lines: 500, wordsPerLine: 10, vocabularySize: 100, seed: 7 };
    const lines = generateTextLines(options);
    const expected = new Map<string, number>();
    for (const line of lines)
      for (const word of line.split(' ')) expected.set(word, (expected.get(word) ?? 0) + 1);

    const tokenize = new TestingEnvironment({ inputGates: [TestingInputGate.of(lines)] });
    await tokenize.invoke(TokenizerTask);
    const sum = new TestingEnvironment({
      inputGates: [new TestingInputGate([tokenize.getTestingWriter().records], { recordsPerBuffer: 64 })],
    });
    await sum.invoke(SumByKeyTask);
    expect(new Map(sum.getTestingWriter<[string, number]>().records)).toEqual(expected);
  });

  it('waits for an unavailable writer while emitting its result', async () => {
    const keys = Array.from({ length: 10 }, (_, i) => [`k${i}`, i]);
    const writer = new TestingRecordWriter({ unavailableChecks: 2 });
    const env = new TestingEnvironment({ inputGates: [TestingInputGate.of(keys)], writers: [writer] });
    await env.invoke(SumByKeyTask);
    expect(writer.records).toEqual(keys);
    expect(writer.availabilityWaits).toBeGreaterThan(0);
  });
});

describe('ForwardTask', () => {
  it('emits every record unchanged to every writer', async () => {
    const records = [1, 'two', { three: 3 }, [4], null];
    const env = new TestingEnvironment({ inputGates: [TestingInputGate.of(records)], writers: 2 });
    await env.invoke(ForwardTask);
    expect(env.getTestingWriter(0).records).toEqual(records);
    expect(env.getTestingWriter(1).records).toEqual(records);
    expect(env.getTestingWriter(0).records[2]).toBe(records[2]);
  });

  it('checks the writers once per batch and waits only while one is unavailable', async () => {
    const records = Array.from({ length: 100 }, (_, i) => i);
    const writer = new TestingRecordWriter({ unavailableChecks: 2 });
    const gate = new TestingInputGate([records], { recordsPerBuffer: 10 });
    const env = new TestingEnvironment({ inputGates: [gate], writers: [writer] });
    await env.invoke(ForwardTask);
    expect(writer.records).toEqual(records);
    expect(writer.availabilityChecks).toBeLessThanOrEqual(10 + 2);
    expect(writer.availabilityWaits).toBeGreaterThan(0);
  });

  it('finishes at once without inputs', async () => {
    const env = new TestingEnvironment();
    await env.invoke(ForwardTask);
    expect(env.getTestingWriter().records).toEqual([]);
  });
});
