import { describe, expect, it } from 'vitest';

import { JobID } from '../core/ids.js';
import { ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.js';
import { JobStatus } from '../executiongraph/job-status.js';
import { JobType } from '../jobgraph/enums.js';
import type { JobGraphJson } from '../jobgraph/job-graph-json.js';
import type { JobResultJson } from './job-result.js';
import {
  InMemoryExecutionGraphInfoStore,
  InMemoryExecutionPlanStore,
  InMemoryJobResultStore,
} from './stores.js';

function plan(jobId: JobID, name = 'job'): JobGraphJson {
  return {
    jid: jobId,
    name,
    vertices: [{ name: 'Source', invokable: 'eddy.sequence-source', configuration: { 'sequence.to': 3 } }],
  };
}

function result(jobId: JobID): JobResultJson {
  return { jobId, applicationStatus: 'SUCCEEDED', netRuntime: 5, accumulatorResults: {} };
}

function graph(jobId: JobID, name: string): ArchivedExecutionGraph {
  return ArchivedExecutionGraph.createSparse({
    jobId,
    jobName: name,
    jobType: JobType.STREAMING,
    state: JobStatus.FINISHED,
    stateTimestamps: { INITIALIZING: 1, FINISHED: 2 },
  });
}

describe('InMemoryExecutionPlanStore', () => {
  it('stores, lists, recovers and removes plans by job ID', async () => {
    const store = new InMemoryExecutionPlanStore();
    const a = JobID.generate();
    const b = JobID.generate();
    await store.putExecutionPlan(plan(a, 'A'));
    await store.putExecutionPlan(plan(b, 'B'));

    expect(await store.getJobIds()).toEqual([a, b]);
    expect((await store.recoverExecutionPlan(a))?.name).toBe('A');

    await store.removeExecutionPlan(a);
    expect(await store.getJobIds()).toEqual([b]);
    expect(await store.recoverExecutionPlan(a)).toBeUndefined();
    // Removing what is not there is fine.
    await store.removeExecutionPlan(a);
  });

  it('replaces the plan of a job put again', async () => {
    const store = new InMemoryExecutionPlanStore();
    const jobId = JobID.generate();
    await store.putExecutionPlan(plan(jobId, 'first'));
    await store.putExecutionPlan(plan(jobId, 'second'));
    expect(await store.getJobIds()).toEqual([jobId]);
    expect((await store.recoverExecutionPlan(jobId))?.name).toBe('second');
  });

  it('keeps copies: changing a stored or recovered plan does not change the store', async () => {
    const store = new InMemoryExecutionPlanStore();
    const jobId = JobID.generate();
    const original = plan(jobId) as { name: string };
    await store.putExecutionPlan(original as JobGraphJson);
    original.name = 'changed';
    const recovered = (await store.recoverExecutionPlan(jobId)) as { name: string } | undefined;
    if (recovered !== undefined) recovered.name = 'changed too';

    expect((await store.recoverExecutionPlan(jobId))?.name).toBe('job');
  });
});

describe('InMemoryJobResultStore', () => {
  it('keeps a result dirty until it is marked clean', async () => {
    const store = new InMemoryJobResultStore();
    const jobId = JobID.generate();
    await store.createDirtyResult(result(jobId));

    expect(await store.getJobResultEntry(jobId)).toEqual({ jobResult: result(jobId), clean: false });
    expect(await store.getDirtyResults()).toEqual([result(jobId)]);

    await store.markResultAsClean(jobId);

    expect(await store.getJobResultEntry(jobId)).toEqual({ jobResult: result(jobId), clean: true });
    expect(await store.getDirtyResults()).toEqual([]);
  });

  it('has no entry for a job it never saw, and marking one clean changes nothing', async () => {
    const store = new InMemoryJobResultStore();
    const unknown = JobID.generate();
    await store.markResultAsClean(unknown);
    expect(await store.getJobResultEntry(unknown)).toBeUndefined();
    expect(await store.getDirtyResults()).toEqual([]);
  });

  it('lists only the dirty results of many jobs', async () => {
    const store = new InMemoryJobResultStore();
    const [a, b, c] = [JobID.generate(), JobID.generate(), JobID.generate()];
    for (const jobId of [a, b, c]) await store.createDirtyResult(result(jobId));
    await store.markResultAsClean(b);
    expect((await store.getDirtyResults()).map((entry) => entry.jobId)).toEqual([a, c]);
  });
});

describe('InMemoryExecutionGraphInfoStore', () => {
  it('stores archived graphs by job and lists them newest last', async () => {
    const store = new InMemoryExecutionGraphInfoStore();
    const a = JobID.generate();
    const b = JobID.generate();
    await store.put(graph(a, 'A'));
    await store.put(graph(b, 'B'));

    expect((await store.get(a))?.getJobName()).toBe('A');
    expect(await store.get(JobID.generate())).toBeUndefined();
    expect((await store.list()).map((archived) => archived.getJobName())).toEqual(['A', 'B']);

    // Storing a job again replaces it and makes it the newest.
    await store.put(graph(a, 'A again'));
    expect((await store.list()).map((archived) => archived.getJobName())).toEqual(['B', 'A again']);
  });
});
