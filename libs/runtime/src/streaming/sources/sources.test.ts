import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { InvalidSourceStateError } from '../errors.js';
import type { Output } from '../stream-operator.js';
import { GeneratorSource } from './generator-source.js';
import { SequenceSource } from './sequence-source.js';
import type { SourceReader } from './source-reader.js';
import { TextFileSource } from './text-file-source.js';

class ListOutput<T> implements Output<T> {
  readonly records: T[] = [];
  collect(record: T): void {
    this.records.push(record);
  }
}

/** Polls a reader until it ends, awaiting its availability when it has nothing. */
async function drain<T>(reader: SourceReader<T>, output: ListOutput<T>, maxRecords = 100): Promise<void> {
  for (;;) {
    const status = reader.pollNext(output, maxRecords);
    if (status === 'END') return;
    if (status === 'NOTHING_AVAILABLE') await reader.getAvailableFuture();
  }
}

describe('SequenceSource', () => {
  it('splits the range over the subtasks, each number once', async () => {
    const all: number[] = [];
    for (let subtask = 0; subtask < 3; subtask++) {
      const reader = new SequenceSource(1, 10).createReader();
      await reader.open({ subtaskIndex: subtask, parallelism: 3 });
      const output = new ListOutput<number>();
      await drain(reader, output, 2);
      all.push(...output.records);
    }
    expect(all).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('continues after its snapshot, also with the splits of several old subtasks', async () => {
    const snapshots: unknown[] = [];
    const emitted: number[] = [];
    for (let subtask = 0; subtask < 2; subtask++) {
      const reader = new SequenceSource(1, 100).createReader();
      await reader.open({ subtaskIndex: subtask, parallelism: 2 });
      const output = new ListOutput<number>();
      reader.pollNext(output, 10);
      emitted.push(...output.records);
      snapshots.push(...reader.snapshotState(1));
    }
    const restored = new SequenceSource(1, 100).createReader();
    restored.restoreState(snapshots);
    await restored.open({ subtaskIndex: 0, parallelism: 1 });
    const output = new ListOutput<number>();
    await drain(restored, output);
    expect([...emitted, ...output.records].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 1),
    );
  });

  it('rejects a position that is not one of its splits', () => {
    expect(() => {
      new SequenceSource(1, 2).createReader().restoreState([{ offset: 1 }]);
    }).toThrow(InvalidSourceStateError);
  });
});

describe('GeneratorSource', () => {
  it('generates deterministic records by index, interleaved over the subtasks', async () => {
    const outputs = [new ListOutput<string>(), new ListOutput<string>()];
    for (const [subtask, output] of outputs.entries()) {
      const reader = new GeneratorSource({ generate: (i) => `#${i}`, count: 5 }).createReader();
      await reader.open({ subtaskIndex: subtask, parallelism: 2 });
      await drain(reader, output);
    }
    expect(outputs.map((output) => output.records)).toEqual([
      ['#0', '#2', '#4'],
      ['#1', '#3'],
    ]);
  });

  it('restores from the next index', async () => {
    const source = new GeneratorSource({ generate: (i) => i * i, count: 10 });
    const first = source.createReader();
    await first.open({ subtaskIndex: 0, parallelism: 1 });
    first.pollNext(new ListOutput(), 4);
    const second = source.createReader();
    second.restoreState(first.snapshotState(1));
    await second.open({ subtaskIndex: 0, parallelism: 1 });
    const output = new ListOutput<number>();
    await drain(second, output);
    expect(output.records).toEqual([16, 25, 36, 49, 64, 81]);
  });

  it('limits its rate (a second worth at most) on a fake clock', async () => {
    let now = 0;
    const reader = new GeneratorSource({
      generate: (i) => i,
      recordsPerSecond: 100,
      now: () => now,
    }).createReader();
    await reader.open({ subtaskIndex: 0, parallelism: 2 });
    const output = new ListOutput<number>();
    expect(reader.pollNext(output, 1000)).toBe('MORE');
    expect(output.records).toEqual([0]);
    expect(reader.pollNext(output, 1000)).toBe('NOTHING_AVAILABLE');
    now += 100;
    reader.pollNext(output, 1000);
    expect(output.records).toHaveLength(6);
    now += 60_000;
    reader.pollNext(output, 1000);
    expect(output.records).toHaveLength(56);
    await reader.close();
  });
});

describe('TextFileSource', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'eddy-text-source-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reads lines without their ends, across chunks, and restores at a byte offset', async () => {
    const long = 'x'.repeat(100_000);
    const file = path.join(directory, 'input.txt');
    await writeFile(file, `héllo\r\nworld\n${long}\n\nlast`);
    const source = new TextFileSource(file);
    const first = source.createReader();
    await first.open({ subtaskIndex: 0, parallelism: 1 });
    const output = new ListOutput<string>();
    while (output.records.length < 2) {
      if (first.pollNext(output, 2 - output.records.length) === 'NOTHING_AVAILABLE')
        await first.getAvailableFuture();
    }
    expect(output.records).toEqual(['héllo', 'world']);
    const position = first.snapshotState(1);
    expect(position).toEqual([{ path: file, offset: Buffer.byteLength('héllo\r\nworld\n'), line: 2 }]);
    await first.close();

    const second = source.createReader();
    second.restoreState(position);
    await second.open({ subtaskIndex: 0, parallelism: 1 });
    const rest = new ListOutput<string>();
    await drain(second, rest);
    await second.close();
    expect(rest.records).toEqual([long, '', 'last']);
  });

  it('hands each file to one subtask', async () => {
    const files = ['a', 'b', 'c'].map((name) => path.join(directory, name));
    await Promise.all(files.map((file, index) => writeFile(file, `${index}\n`)));
    const read: string[][] = [];
    for (let subtask = 0; subtask < 2; subtask++) {
      const reader = new TextFileSource(files).createReader();
      await reader.open({ subtaskIndex: subtask, parallelism: 2 });
      const output = new ListOutput<string>();
      await drain(reader, output);
      await reader.close();
      read.push(output.records);
    }
    expect(read).toEqual([['0', '2'], ['1']]);
  });

  it('fails the poll after a read error', async () => {
    const reader = new TextFileSource(path.join(directory, 'missing')).createReader();
    await reader.open({ subtaskIndex: 0, parallelism: 1 });
    expect(reader.pollNext(new ListOutput(), 10)).toBe('NOTHING_AVAILABLE');
    await reader.getAvailableFuture();
    expect(() => reader.pollNext(new ListOutput(), 10)).toThrow(/ENOENT/);
    await reader.close();
  });
});
