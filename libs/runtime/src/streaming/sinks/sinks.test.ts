import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { TestingEnvironment } from '../../execution/testing/testing-environment.js';
import { TestingTaskStateManager } from '../../execution/testing/testing-task-state-manager.js';
import type { JobManagerTaskRestore, TaskStateSnapshot } from '../../state/state-handles.js';
import { OperatorChain } from '../operator-chain.js';
import type { Sink } from '../operators.js';
import { CHECKPOINT_OPTIONS, restoreOf } from '../testing/stream-test-utils.js';
import { CollectSink } from './collect-sink.js';
import { DiscardSink } from './discard-sink.js';
import { FileSink, finishedPartName, inProgressPartName } from './file-sink.js';

const states = new TestingTaskStateManager();

/** One sink operator in a chain of its own, as a sink task runs it. */
async function sinkHarness<T>(
  sink: Sink<T>,
  options: { restore?: JobManagerTaskRestore; subtaskIndex?: number; parallelism?: number } = {},
) {
  const environment = new TestingEnvironment({
    writers: 0,
    subtaskIndex: options.subtaskIndex ?? 0,
    parallelism: options.parallelism ?? 1,
  });
  const chain = new OperatorChain(
    { operators: [{ uid: 'sink', name: sink.name, factory: () => sink.createOperator() }] },
    environment,
  );
  await chain.initialize(options.restore, (handle) => states.readRestoredState(handle));
  return {
    environment,
    chain,
    process: (...records: T[]) => {
      chain.processBuffer(records);
    },
    snapshot: async (checkpointId: number): Promise<TaskStateSnapshot> =>
      (await chain.snapshotState(checkpointId, Date.now(), CHECKPOINT_OPTIONS, states.createStreamFactory()))
        .snapshot,
    collected: () =>
      environment.getAccumulatorRegistry().getAccumulator<unknown, unknown[]>('out')?.getLocalValue(),
  };
}

describe('CollectSink', () => {
  it('adds records to the accumulator only when their checkpoint completed, or at the end', async () => {
    const sink = await sinkHarness(new CollectSink<number>('out'));
    sink.process(1, 2);
    await sink.snapshot(1);
    sink.process(3);
    await sink.snapshot(2);
    sink.process(4);
    expect(sink.collected()).toEqual([]);
    await sink.chain.notifyCheckpointComplete(1);
    expect(sink.collected()).toEqual([1, 2]);
    await sink.chain.notifyCheckpointAborted(2);
    expect(sink.collected()).toEqual([1, 2]);
    await sink.chain.endInput();
    expect(sink.collected()).toEqual([1, 2, 3, 4]);
    await sink.chain.close();
  });

  it('re-adds the records of the restored checkpoint in a new attempt', async () => {
    const first = await sinkHarness(new CollectSink<number>('out'));
    first.process(1, 2);
    const snapshot = await first.snapshot(5);
    first.process(3);
    await first.chain.close();

    const second = await sinkHarness(new CollectSink<number>('out'), { restore: restoreOf(5, [snapshot]) });
    expect(second.collected()).toEqual([1, 2]);
    second.process(3);
    await second.chain.endInput();
    expect(second.collected()).toEqual([1, 2, 3]);
    await second.chain.close();
  });
});

describe('DiscardSink', () => {
  it('drops every record', async () => {
    const sink = await sinkHarness(new DiscardSink<number>());
    sink.process(1, 2, 3);
    await sink.chain.endInput();
    await sink.chain.close();
  });
});

describe('FileSink', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'eddy-file-sink-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const files = async (): Promise<string[]> => (await readdir(directory)).sort();
  const content = (name: string): Promise<string> => readFile(path.join(directory, name), 'utf8');

  it('keeps each checkpoint in a pending part and commits it only when the checkpoint completed', async () => {
    const sink = await sinkHarness(new FileSink<unknown>(directory));
    sink.process('a', { b: 1 });
    expect(await files()).toEqual([inProgressPartName(0, 0)]);
    await sink.snapshot(1);
    sink.process('c');
    await sink.snapshot(2);
    expect(await files()).toEqual([inProgressPartName(0, 0), inProgressPartName(0, 1)]);

    await sink.chain.notifyCheckpointAborted(1);
    expect(await files()).toEqual([inProgressPartName(0, 0), inProgressPartName(0, 1)]);
    await sink.chain.notifyCheckpointComplete(1);
    expect(await files()).toEqual([inProgressPartName(0, 1), finishedPartName(0, 0)]);
    expect(await content(finishedPartName(0, 0))).toBe('a\n{"b":1}\n');

    sink.process('d');
    await sink.chain.endInput();
    expect(await files()).toEqual([finishedPartName(0, 0), finishedPartName(0, 1), finishedPartName(0, 2)]);
    expect(await content(finishedPartName(0, 2))).toBe('d\n');
    await sink.chain.close();
  });

  it('on restore commits the restored checkpoint, drops later parts and numbers on', async () => {
    const first = await sinkHarness(new FileSink<string>(directory));
    first.process('kept-1');
    await first.snapshot(1);
    await first.chain.notifyCheckpointComplete(1);
    first.process('kept-2');
    const snapshot = await first.snapshot(2);
    first.process('replayed');
    await first.snapshot(3);
    first.process('also-replayed');
    // The attempt fails before checkpoint 2 is notified and before 3 completes.
    await first.chain.close();
    expect(await files()).toEqual([
      inProgressPartName(0, 1),
      inProgressPartName(0, 2),
      inProgressPartName(0, 3),
      finishedPartName(0, 0),
    ]);

    const second = await sinkHarness(new FileSink<string>(directory), { restore: restoreOf(2, [snapshot]) });
    expect(await files()).toEqual([finishedPartName(0, 0), finishedPartName(0, 1)]);
    second.process('replayed', 'also-replayed');
    await second.chain.endInput();
    await second.chain.close();
    expect(await files()).toEqual([finishedPartName(0, 0), finishedPartName(0, 1), finishedPartName(0, 2)]);
    const lines = (await Promise.all((await files()).map(content))).join('');
    expect(lines).toBe('kept-1\nkept-2\nreplayed\nalso-replayed\n');
  });

  it('numbers parts after those already in the directory on a fresh start and drops stale in-progress parts', async () => {
    await writeFile(path.join(directory, finishedPartName(0, 4)), 'old\n');
    await writeFile(path.join(directory, inProgressPartName(0, 5)), 'stale\n');
    await writeFile(path.join(directory, inProgressPartName(1, 0)), 'other subtask\n');
    const sink = await sinkHarness(new FileSink<string>(directory), { subtaskIndex: 0, parallelism: 2 });
    sink.process('new');
    await sink.chain.endInput();
    await sink.chain.close();
    expect(await files()).toEqual([inProgressPartName(1, 0), finishedPartName(0, 4), finishedPartName(0, 5)]);
  });
});
