import { describe, expect, it } from 'vitest';

import type { CheckpointOptions } from '../checkpoint/checkpoint-types.js';
import { OperatorID } from '../core/ids.js';
import { TestingEnvironment } from '../execution/testing/testing-environment.js';
import { TestingTaskStateManager } from '../execution/testing/testing-task-state-manager.js';
import { CollectSink } from './sinks/collect-sink.js';
import { SourceStreamTask } from './source-stream-task.js';
import { GeneratorSource } from './sources/generator-source.js';
import { SequenceSource } from './sources/sequence-source.js';
import { SourceOperator } from './sources/source-reader.js';
import type { Source } from './sources/source-reader.js';
import type { StreamChainConfig } from './stream-config.js';
import { LoggingOperator } from './testing/logging-operator.js';
import { CHECKPOINT_OPTIONS, RecordingWriter, restoreOf, until } from './testing/stream-test-utils.js';

function sourceChain<T>(source: Source<T>, log: string[] = []): StreamChainConfig {
  return {
    operators: [
      { uid: 'source', name: source.name, factory: () => new SourceOperator(source.createReader()) },
      { uid: 'log', name: 'Log', factory: () => new LoggingOperator<T>(log) },
    ],
    outputs: [{}],
  };
}

describe('SourceStreamTask', () => {
  it('takes a triggered checkpoint between records and restores the reader after it, exactly once', async () => {
    const total = 50_000;
    const config = sourceChain(new SequenceSource(1, total));
    const firstWriter = new RecordingWriter<number>();
    const firstState = new TestingTaskStateManager();
    const first = new TestingEnvironment({ writers: [firstWriter], taskStateManager: firstState });
    const task = new SourceStreamTask(first, config);
    const running = task.invoke();
    await until(() => firstWriter.log.length > 5000, 'some records');
    expect(
      await task.triggerCheckpointAsync({ checkpointId: 1, timestamp: Date.now() }, CHECKPOINT_OPTIONS),
    ).toBe(true);
    await until(() => firstState.acknowledged.length === 1, 'the acknowledgement');
    first.cancel();
    await running;
    const before = firstWriter.recordsBefore(1);
    expect(before.length).toBeGreaterThan(5000);
    expect(before.length).toBeLessThan(total);
    const ack = firstState.acknowledged[0];
    expect(ack?.snapshot[OperatorID.fromUid('source')]?.managedOperatorState).toHaveLength(1);

    const secondWriter = new RecordingWriter<number>();
    const second = new TestingEnvironment({
      writers: [secondWriter],
      taskStateManager: new TestingTaskStateManager(restoreOf(1, [ack?.snapshot ?? {}])),
    });
    await new SourceStreamTask(second, config).invoke();
    const all = [...before, ...secondWriter.records()];
    expect(all).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });

  it('stops reading at a synchronous savepoint and ends its input after it completed, with drain', async () => {
    const log: string[] = [];
    const environment = new TestingEnvironment({ writers: [new RecordingWriter()] });
    const task = new SourceStreamTask(
      environment,
      sourceChain(new GeneratorSource({ generate: (i) => i, recordsPerSecond: 2000 }), log),
    );
    const running = task.invoke();
    await until(() => log.length > 20, 'some records');
    const options: CheckpointOptions = { snapshotType: 'SYNC_SAVEPOINT', drain: true, targetLocation: null };
    expect(await task.triggerCheckpointAsync({ checkpointId: 2, timestamp: Date.now() }, options)).toBe(true);
    const atSavepoint = log.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(log.length).toBe(atSavepoint);
    expect(
      await task.triggerCheckpointAsync({ checkpointId: 3, timestamp: Date.now() }, CHECKPOINT_OPTIONS),
    ).toBe(false);
    await task.notifyCheckpointCompleteAsync(2);
    await running;
    expect(log.slice(atSavepoint)).toEqual(['complete 2', 'end', 'close']);
  });

  it('goes on reading when the synchronous savepoint is aborted', async () => {
    const log: string[] = [];
    const environment = new TestingEnvironment({ writers: [new RecordingWriter()] });
    const task = new SourceStreamTask(environment, sourceChain(new SequenceSource(1, 200_000), log));
    const running = task.invoke();
    const options: CheckpointOptions = { snapshotType: 'SYNC_SAVEPOINT', drain: false, targetLocation: null };
    expect(await task.triggerCheckpointAsync({ checkpointId: 1, timestamp: Date.now() }, options)).toBe(true);
    const atSavepoint = log.length;
    await task.notifyCheckpointAbortAsync(1, 0);
    await running;
    expect(log.length).toBeGreaterThan(atSavepoint + 1000);
    expect(log.slice(-2)).toEqual(['end', 'close']);
  });

  it('collects into the job result once per record, at the end of a bounded input', async () => {
    const environment = new TestingEnvironment({ writers: 0 });
    await new SourceStreamTask(environment, {
      operators: [
        {
          uid: 'source',
          name: 'Sequence',
          factory: () => new SourceOperator(new SequenceSource(1, 1000).createReader()),
        },
        { uid: 'sink', name: 'Collect', factory: () => new CollectSink('out').createOperator() },
      ],
    }).invoke();
    expect(environment.getAccumulatorRegistry().snapshot().out).toEqual({
      type: 'List',
      value: Array.from({ length: 1000 }, (_, i) => i + 1),
    });
  });
});
