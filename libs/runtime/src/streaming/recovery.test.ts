import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { OperatorStateMetadata } from '../checkpoint/storage/checkpoint-storage.js';
import { Configuration } from '../core/configuration.js';
import type { JobID } from '../core/ids.js';
import { SavepointRestoreSettings } from '../jobgraph/savepoint-restore-settings.js';
import { MiniCluster } from '../minicluster/mini-cluster.js';
import { MiniClusterConfiguration } from '../minicluster/mini-cluster-configuration.js';
import { StreamExecutionEnvironment } from './job-builder.js';
import { CollectSink } from './sinks/collect-sink.js';

let cluster: MiniCluster | undefined;
let directory: string | undefined;
afterEach(async () => {
  await cluster?.closeAsync();
  cluster = undefined;
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

async function start(config: Record<string, string | number>): Promise<MiniCluster> {
  cluster = new MiniCluster(
    MiniClusterConfiguration.newBuilder()
      .setNumSlotsPerTaskManager(4)
      .setConfiguration(new Configuration(config))
      .build(),
  );
  await cluster.start();
  return cluster;
}

async function waitUntil(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Timed out waiting until ${what}.`);
}

const allRunning = (mc: MiniCluster, jobId: JobID) => async () =>
  (await mc.getExecutionGraph(jobId))
    .getAllVertices()
    .every((v) => v.subtasks.every((s) => s.currentExecution.state === 'RUNNING'));

let failNow = false;

function countingJob(checkpointIntervalMs: number) {
  const env = StreamExecutionEnvironment.create({ parallelism: 1 });
  env.enableCheckpointing(checkpointIntervalMs);
  env
    .fromGenerator({ generate: (i) => i, recordsPerSecond: 2000 })
    .uid('numbers')
    .map((n) => {
      if (failNow) throw new Error('Injected failure');
      return n;
    })
    .uid('fail-on-demand')
    .keyBy((n) => n % 4)
    .reduce((a, b) => a + b)
    .uid('sums')
    .sinkTo(new CollectSink<number>('sums'))
    .uid('collect');
  return env;
}

describe('recovery', () => {
  it('CLAIM: the restored savepoint belongs to the job and is deleted once its checkpoints subsume it', async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'eddy-claim-'));
    const mc = await start({
      'execution.checkpointing.savepoint-dir': path.join(directory, 'savepoints'),
      'execution.checkpointing.dir': path.join(directory, 'checkpoints'),
    });
    const first = countingJob(3_600_000).getJobGraph('first');
    await mc.submitJob(first);
    await waitUntil(allRunning(mc, first.getJobID()), 'the first job runs');
    const savepoint = await mc.triggerSavepoint(first.getJobID(), null);
    await mc.cancelJob(first.getJobID());

    const second = countingJob(20).getJobGraph('second');
    second.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false, 'CLAIM'));
    await mc.submitJob(second);
    await waitUntil(
      async () =>
        ((await mc.getExecutionGraph(second.getJobID())).getCheckpointStatsSnapshot()?.counts.completed ??
          0) >= 2,
      'the second job completed two checkpoints',
    );
    const stats = (await mc.getExecutionGraph(second.getJobID())).getCheckpointStatsSnapshot();
    expect(stats?.latest.restored?.externalPath).toBe(savepoint);
    // Checkpoint IDs continue after the savepoint's.
    expect(stats?.latest.completed?.checkpointId).toBeGreaterThan(
      Number(stats?.latest.restored?.checkpointId),
    );
    await waitUntil(
      () =>
        access(savepoint).then(
          () => false,
          () => true,
        ),
      'the claimed savepoint is deleted',
    );
    await mc.cancelJob(second.getJobID());
  });

  it('an error while restoring state escalates to a global failover', async () => {
    failNow = false;
    const mc = await start({
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 2,
      'restart-strategy.fixed-delay.delay': '0 ms',
    });
    const jobGraph = countingJob(3_600_000).getJobGraph('unrestorable');
    await mc.submitJob(jobGraph);
    await waitUntil(allRunning(mc, jobGraph.getJobID()), 'the job runs');
    await mc.triggerCheckpoint(jobGraph.getJobID());

    // Damage the latest checkpoint as held by the JobMaster: its keyed operator now claims another
    // max parallelism, so its state cannot be assigned to the restarted tasks.
    const store = mc
      .getDispatcher()
      .getJobMaster(jobGraph.getJobID())
      ?.getScheduler()
      .getCheckpointing()
      ?.getCoordinator()
      .getCheckpointStore();
    const latest = store?.getLatestCheckpoint();
    expect(latest).toBeDefined();
    for (const operator of latest?.metadata.operators ?? []) {
      if (Object.values(operator.subtaskStates).some((state) => state.managedKeyedState.length > 0)) {
        (operator as { maxParallelism: number } & OperatorStateMetadata).maxParallelism = 7;
      }
    }

    failNow = true;
    const result = await mc.requestJobResult(jobGraph.getJobID());
    failNow = false;
    expect(result.getApplicationStatus()).toBe('FAILED');
    expect(result.getSerializedThrowable()?.name).toBe('StateAssignmentError');
    const history = (await mc.getExecutionGraph(jobGraph.getJobID())).getExceptionHistory();
    // First the task failure, then global failures (no failing task) from the restore, until the
    // restart strategy gave up.
    expect(history[0]?.failingTaskName).toBeDefined();
    expect(history.slice(1).length).toBeGreaterThan(0);
    for (const entry of history.slice(1)) {
      expect(entry.failingTaskName).toBeUndefined();
      expect(entry.exception.name).toBe('StateAssignmentError');
    }
  });
});
