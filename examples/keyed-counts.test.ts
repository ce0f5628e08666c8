import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Configuration, MiniCluster, MiniClusterConfiguration } from '@eddy/runtime';

import { runKeyedCounts } from './keyed-counts.js';
import type { KeyedCountsOptions } from './keyed-counts.js';

describe('the keyed-counts example', () => {
  let directory: string;
  let cluster: MiniCluster;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'eddy-keyed-counts-test-'));
    cluster = new MiniCluster(
      MiniClusterConfiguration.newBuilder()
        .setNumTaskManagers(1)
        .setNumSlotsPerTaskManager(4)
        .setConfiguration(
          new Configuration({ 'execution.checkpointing.dir': path.join(directory, 'checkpoints') }),
        )
        .build(),
    );
    await cluster.start();
  });
  afterEach(async () => {
    await cluster.closeAsync();
    await rm(directory, { recursive: true, force: true });
  });

  it('counts every event of every key exactly once across checkpoints and a savepoint', async () => {
    // 1003 events over 7 keys: keys 0 and 1 get 144 events (7 × 143 + 2), keys 2–6 get 143.
    const options: KeyedCountsOptions = {
      records: 1003,
      keys: 7,
      recordsPerSecond: 4000,
      parallelism: 2,
      checkpointIntervalMs: 50,
    };
    const outcome = await runKeyedCounts(cluster, options, path.join(directory, 'savepoints'));

    expect(outcome.finalCounts).toEqual(
      new Map([
        ['key-0', 144],
        ['key-1', 144],
        ['key-2', 143],
        ['key-3', 143],
        ['key-4', 143],
        ['key-5', 143],
        ['key-6', 143],
      ]),
    );
    // Exactly once: one running count per event, each key's counts 1, 2, … without gaps or repeats.
    expect(outcome.runningCounts).toHaveLength(options.records);
    for (const [key, final] of outcome.finalCounts) {
      const counts = outcome.runningCounts.filter((c) => c.key === key).map((c) => c.count);
      expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: final }, (_, i) => i + 1));
    }
    expect(outcome.savepointPath.startsWith(path.join(directory, 'savepoints'))).toBe(true);
    expect(existsSync(path.join(outcome.savepointPath, '_metadata'))).toBe(true);
    // The savepoint alone is a completed checkpoint in the statistics.
    // (A periodic checkpoint triggered as the tasks finish may fail, as in Flink; that is not checked.)
    expect(outcome.checkpoints?.completed).toBeGreaterThanOrEqual(1);
  });
});
