import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { Configuration } from '../core/configuration.js';
import { JobStatus } from '../executiongraph/job-status.js';
import { SavepointRestoreSettings } from '../jobgraph/savepoint-restore-settings.js';
import { MiniCluster } from '../minicluster/mini-cluster.js';
import { MiniClusterConfiguration } from '../minicluster/mini-cluster-configuration.js';
import { StateDescriptors } from '../state/state-api.js';
import type { ListState, MapState } from '../state/state-api.js';
import { StreamExecutionEnvironment } from './job-builder.js';
import { CollectSink } from './sinks/collect-sink.js';
import { AbstractStreamOperator } from './stream-operator.js';
import type { StateInitializationContext } from './stream-operator.js';

/** What the operator below held, by subtask: at its last snapshot, and right after a restore. */
interface OperatorStateView {
  readonly list: number[];
  readonly union: string[];
  readonly broadcast: [string, string][];
}
const snapshotted = new Map<number, OperatorStateView>();
const restored = new Map<number, OperatorStateView>();

/** Keeps operator list state (the first 20 records it saw), union list state (a marker) and broadcast state. */
class OperatorStateKeeper extends AbstractStreamOperator<number, number> {
  private list!: ListState<number>;
  private union!: ListState<string>;
  private broadcast!: MapState<string, string>;

  override initializeState(context: StateInitializationContext): void {
    const backend = context.getOperatorStateBackend();
    this.list = backend.getListState(StateDescriptors.list<number>('first-records'));
    this.union = backend.getUnionListState(StateDescriptors.list<string>('markers'));
    this.broadcast = backend.getBroadcastState(StateDescriptors.map<string, string>('config'));
    const subtask = this.getContext().taskInfo.indexOfThisSubtask;
    if (context.isRestored()) {
      restored.set(subtask, this.view());
    } else {
      this.union.add(`marker-of-subtask-${subtask}`);
      this.broadcast.put('version', 'v1');
    }
  }

  processElement(record: number): void {
    if (this.list.get().length < 20) this.list.add(record);
    this.output.collect(record);
  }

  override snapshotState(): void {
    snapshotted.set(this.getContext().taskInfo.indexOfThisSubtask, this.view());
  }

  private view(): OperatorStateView {
    return {
      list: [...this.list.get()],
      union: [...this.union.get()],
      broadcast: [...this.broadcast.entries()],
    };
  }
}

const RECORDS = 6000;
const KEYS = 12;

function buildJob(parallelism: number, recordsPerSecond: number) {
  const env = StreamExecutionEnvironment.create({ parallelism });
  // Savepoints need checkpoint settings; the interval is long so only the savepoint is taken.
  env.enableCheckpointing(3_600_000);
  env
    .fromGenerator({ generate: (index) => index, count: RECORDS, recordsPerSecond })
    .uid('numbers')
    .transform('Keep operator state', () => new OperatorStateKeeper())
    .uid('operator-state')
    .keyBy((n) => n % KEYS)
    .process<[number, number]>((n, context, out) => {
      const count = context.state.getValueState(StateDescriptors.value<number>('count', 0));
      const next = (count.value() ?? 0) + 1;
      count.update(next);
      out.collect([n % KEYS, next]);
    })
    .uid('keyed-counts')
    .sinkTo(new CollectSink<[number, number]>('counts'))
    .uid('collect');
  return env;
}

let cluster: MiniCluster | undefined;
let directory: string | undefined;
afterEach(async () => {
  await cluster?.closeAsync();
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  snapshotted.clear();
  restored.clear();
});

async function startCluster(savepointDirectory: string): Promise<MiniCluster> {
  const mc = new MiniCluster(
    MiniClusterConfiguration.newBuilder()
      .setNumTaskManagers(2)
      .setNumSlotsPerTaskManager(4)
      .setConfiguration(new Configuration({ 'execution.checkpointing.savepoint-dir': savepointDirectory }))
      .build(),
  );
  await mc.start();
  return mc;
}

describe.each([
  [2, 4],
  [4, 2],
])('savepoint → stop → resume at parallelism %i → %i', (before, after) => {
  it('keeps keyed state and list, union and broadcast operator state', async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'eddy-savepoint-'));
    cluster = await startCluster(directory);

    const first = buildJob(before, 3000).getJobGraph('before');
    await cluster.submitJob(first);
    while (
      (await cluster.getExecutionGraph(first.getJobID()))
        .getAllVertices()
        .some((v) => v.subtasks.some((s) => s.currentExecution.state !== 'RUNNING'))
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    const savepoint = await cluster.stopWithSavepoint(first.getJobID(), null, false);
    expect(await cluster.getJobStatus(first.getJobID())).toBe(JobStatus.FINISHED);
    expect(path.dirname(savepoint)).toBe(directory);
    await access(path.join(savepoint, '_metadata'));
    const snapshotList = [...snapshotted.values()].flatMap((view) => view.list).sort((a, b) => a - b);
    expect(snapshotList.length).toBeGreaterThan(0);
    expect(snapshotted.size).toBe(before);

    const second = buildJob(after, 1_000_000).getJobGraph('after');
    second.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint));
    const result = await cluster.executeJob(second);
    expect(result.getApplicationStatus()).toBe('SUCCEEDED');

    // Keyed state moved with its key groups: every key counted each of its records exactly once.
    const counts = result.getJobExecutionResult().getAccumulatorResult<[number, number][]>('counts') ?? [];
    const finals = new Map<number, number>();
    for (const [key, count] of counts) finals.set(key, Math.max(finals.get(key) ?? 0, count));
    expect(finals).toEqual(new Map(Array.from({ length: KEYS }, (_, key) => [key, RECORDS / KEYS])));

    // Operator state: list entries split over the new subtasks, each exactly once; union state
    // whole on every subtask; broadcast state copied to every subtask.
    expect(restored.size).toBe(after);
    const restoredList = [...restored.values()].flatMap((view) => view.list).sort((a, b) => a - b);
    expect(restoredList).toEqual(snapshotList);
    const markers = Array.from({ length: before }, (_, i) => `marker-of-subtask-${i}`);
    for (const view of restored.values()) {
      expect([...view.union].sort()).toEqual(markers);
      expect(view.broadcast).toEqual([['version', 'v1']]);
    }
  }, 60_000);
});
