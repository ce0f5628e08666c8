import { readFileSync } from 'node:fs';

import { afterEach, describe, expect, it } from 'vitest';

import { MiniCluster, MiniClusterConfiguration, jobGraphFromJson, jobGraphToJson } from '@eddy/runtime';
import type { JobGraphJson, KeyedSum } from '@eddy/runtime';

import { expectedWordCounts } from './expected-word-counts.js';

function load(name: string): JobGraphJson {
  return JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8')) as JobGraphJson;
}

let cluster: MiniCluster | undefined;
afterEach(async () => {
  await cluster?.closeAsync();
});

async function run(json: JobGraphJson) {
  cluster = new MiniCluster(
    MiniClusterConfiguration.newBuilder().setNumTaskManagers(2).setNumSlotsPerTaskManager(2).build(),
  );
  await cluster.start();
  const jobGraph = jobGraphFromJson(json);
  expect(jobGraphToJson(jobGraphFromJson(jobGraphToJson(jobGraph)))).toEqual(jobGraphToJson(jobGraph));
  return { result: await cluster.executeJob(jobGraph), cluster, jobId: jobGraph.getJobID() };
}

describe('example jobs from JSON job graphs', () => {
  it('WordCount counts every word exactly', async () => {
    const json = load('./word-count.json');
    const { result } = await run(json);
    const counts = result.getJobExecutionResult().getAccumulatorResult<KeyedSum[]>('counts') ?? [];
    expect(new Map(counts as [string, number][])).toEqual(expectedWordCounts(json));
  });

  it('a two-stage batch job runs stage by stage and counts every word exactly', async () => {
    const json = load('./two-stage-batch.json');
    const { result, cluster: mc, jobId } = await run(json);
    const counts = result.getJobExecutionResult().getAccumulatorResult<KeyedSum[]>('counts') ?? [];
    expect(new Map(counts as [string, number][])).toEqual(expectedWordCounts(json));
    const graph = await mc.getExecutionGraph(jobId);
    const finishedAt = (name: string) =>
      Math.max(
        ...(graph.getAllVertices().find((v) => v.name === name)?.subtasks ?? []).map(
          (s) => s.currentExecution.stateTimestamps.FINISHED,
        ),
      );
    const deployedAt = (name: string) =>
      Math.min(
        ...(graph.getAllVertices().find((v) => v.name === name)?.subtasks ?? []).map(
          (s) => s.currentExecution.stateTimestamps.DEPLOYING,
        ),
      );
    expect(deployedAt('Count words')).toBeGreaterThanOrEqual(finishedAt('Tokenize'));
    expect(deployedAt('Collect')).toBeGreaterThanOrEqual(finishedAt('Count words'));
  });
});
