import { describe, expect, it } from 'vitest';

import { OperatorID } from '../core/ids.js';
import { TestingEnvironment } from '../execution/testing/testing-environment.js';
import { TestingTaskStateManager } from '../execution/testing/testing-task-state-manager.js';
import { KeyGroupRangeAssignment } from '../state/key-group-range-assignment.js';
import { StateDescriptors } from '../state/state-api.js';
import { InvalidOperatorChainError, MissingKeyedStateBackendError } from './errors.js';
import { OperatorChain } from './operator-chain.js';
import {
  FilterOperator,
  FlatMapOperator,
  KeyedProcessOperator,
  KeyedReduceOperator,
  MapOperator,
} from './operators.js';
import type { StreamChainConfig } from './stream-config.js';
import { CHECKPOINT_OPTIONS, RecordingWriter, restoreOf } from './testing/stream-test-utils.js';

const read = (handle: Parameters<TestingTaskStateManager['readRestoredState']>[0]) =>
  new TestingTaskStateManager().readRestoredState(handle);

function chainOf(
  config: StreamChainConfig,
  writers: RecordingWriter[] = [new RecordingWriter()],
  parallelism = 1,
) {
  const environment = new TestingEnvironment({ writers, parallelism });
  return { chain: new OperatorChain(config, environment), environment, writers };
}

describe('OperatorChain', () => {
  it('calls chained operators directly and synchronously, and writes the tail to the writer', async () => {
    const { chain, environment, writers } = chainOf({
      operators: [
        { uid: 'map', name: 'Map', factory: () => new MapOperator((n: number) => n * 10) },
        { uid: 'filter', name: 'Filter', factory: () => new FilterOperator((n: number) => n !== 20) },
        {
          uid: 'flat',
          name: 'Flat Map',
          factory: () =>
            new FlatMapOperator((n: number, out) => {
              out.collect(n);
              out.collect(n + 1);
            }),
        },
      ],
      outputs: [{}],
    });
    await chain.initialize(undefined, read);
    chain.processBuffer([1, 2, 3]);
    // No await between the call and the check: the records went through every operator.
    expect(writers[0]?.records()).toEqual([10, 11, 30, 31]);
    expect(environment.getIOMetrics()).toMatchObject({ numRecordsIn: 3, numBuffersIn: 1 });
    expect(chain.getOperatorIds()).toEqual(['map', 'filter', 'flat'].map((uid) => OperatorID.fromUid(uid)));
    await chain.close();
  });

  it('unwraps [key, record] pairs into a keyed head and emits pairs on keyed outputs', async () => {
    const { chain, writers } = chainOf({
      operators: [
        {
          uid: 'sum',
          name: 'Reduce',
          factory: () => new KeyedReduceOperator((a: number, b: number) => a + b),
        },
      ],
      keyedInput: true,
      outputs: [{ keySelector: (n) => (n as number) % 2 }],
    });
    await chain.initialize(undefined, read);
    chain.processBuffer([
      ['a', 1],
      ['b', 10],
      ['a', 2],
      ['a', 3],
    ]);
    expect(writers[0]?.records()).toEqual([
      [1, 1],
      [0, 10],
      [1, 3],
      [0, 6],
    ]);
    expect(chain.getKeyedStateBackend()?.numberOfKeys()).toBe(2);
    await chain.close();
  });

  it('gives keyed process functions the current key and its state', async () => {
    const seen: string[] = [];
    const count = StateDescriptors.value<number>('count', 0);
    const { chain, writers } = chainOf({
      operators: [
        {
          uid: 'count',
          name: 'Count',
          factory: () =>
            new KeyedProcessOperator<string, string, string>((value, context, out) => {
              const state = context.state.getValueState(count);
              const next = (state.value() ?? 0) + 1;
              state.update(next);
              seen.push(context.key);
              out.collect(`${value}#${next}`);
            }),
        },
      ],
      keyedInput: true,
      outputs: [{}],
    });
    await chain.initialize(undefined, read);
    chain.processBuffer([
      ['x', 'a'],
      ['y', 'b'],
      ['x', 'c'],
    ]);
    expect(seen).toEqual(['x', 'y', 'x']);
    expect(writers[0]?.records()).toEqual(['a#1', 'b#1', 'c#2']);
    await chain.close();
  });

  it('refuses keyed state in an operator that does not follow a keyBy', async () => {
    const { chain } = chainOf({
      operators: [
        { uid: 'reduce', name: 'Reduce', factory: () => new KeyedReduceOperator((a: number) => a) },
      ],
      outputs: [{}],
    });
    await expect(chain.initialize(undefined, read)).rejects.toBeInstanceOf(MissingKeyedStateBackendError);
    await chain.close();
  });

  it('checks that the outputs match the writers', () => {
    expect(() =>
      chainOf({
        operators: [{ uid: 'map', name: 'Map', factory: () => new MapOperator((n) => n) }],
        outputs: [],
      }),
    ).toThrow(InvalidOperatorChainError);
  });

  it('snapshots keyed state of its key groups and restores it into a new chain', async () => {
    const config: StreamChainConfig = {
      operators: [
        {
          uid: 'sum',
          name: 'Reduce',
          factory: () => new KeyedReduceOperator((a: number, b: number) => a + b),
        },
      ],
      keyedInput: true,
      outputs: [{}],
    };
    const first = chainOf(config);
    await first.chain.initialize(undefined, read);
    first.chain.processBuffer([
      ['a', 1],
      ['b', 2],
      ['a', 3],
    ]);
    const { snapshot, stateSize } = await first.chain.snapshotState(
      7,
      Date.now(),
      CHECKPOINT_OPTIONS,
      new TestingTaskStateManager().createStreamFactory(),
    );
    expect(stateSize).toBeGreaterThan(0);
    const state = snapshot[OperatorID.fromUid('sum')];
    expect(state?.managedKeyedState).toHaveLength(1);
    await first.chain.close();

    // Restored into two subtasks: each keeps the keys of its key groups.
    const results: unknown[] = [];
    for (const subtask of [0, 1]) {
      const writer = new RecordingWriter();
      const environment = new TestingEnvironment({
        writers: [writer],
        parallelism: 2,
        subtaskIndex: subtask,
      });
      const chain = new OperatorChain(config, environment);
      await chain.initialize(restoreOf(7, [snapshot]), read);
      const own = ['a', 'b'].filter(
        (key) => KeyGroupRangeAssignment.assignKeyToParallelOperator(key, 128, 2) === subtask,
      );
      chain.processBuffer(own.map((key) => [key, 100]));
      results.push(...writer.records());
      await chain.close();
    }
    expect(results.sort()).toEqual([102, 104]);
  });
});
