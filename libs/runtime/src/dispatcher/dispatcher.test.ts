import { afterEach, describe, expect, it } from 'vitest';

import { LibraryCacheManager } from '../blob/library-cache-manager.js';
import { ManualClock } from '../core/clock.js';
import { Configuration } from '../core/configuration.js';
import { EddyError } from '../core/errors.js';
import { JobID } from '../core/ids.js';
import { MemorySize } from '../core/memory-size.js';
import { ResourceProfile } from '../core/resource-profile.js';
import { AbstractInvokable } from '../execution/invokable.js';
import type { InvokableClass } from '../execution/invokable.js';
import { JobStatus } from '../executiongraph/job-status.js';
import { LocalShuffleEnvironment } from '../io/network/local-shuffle-environment.js';
import { JobGraph } from '../jobgraph/job-graph.js';
import { InvalidJobGraphError } from '../jobgraph/job-graph-validator.js';
import { JobVertex } from '../jobgraph/job-vertex.js';
import { ResourceManager } from '../resourcemanager/resource-manager.js';
import { LocalRpcService } from '../rpc/rpc-service.js';
import { TaskExecutor } from '../taskexecutor/task-executor.js';
import { Dispatcher } from './dispatcher.js';
import { DuplicateJobSubmissionError, JobAlreadyTerminalError, JobNotFoundError } from './errors.js';
import { JobExecutionError } from './job-result.js';
import {
  InMemoryExecutionGraphInfoStore,
  InMemoryExecutionPlanStore,
  InMemoryJobResultStore,
} from './stores.js';

class QuickTask extends AbstractInvokable {
  invoke(): Promise<void> {
    return Promise.resolve();
  }
}

/** Runs until cancelled. */
class IdleTask extends AbstractInvokable {
  async invoke(): Promise<void> {
    while (!this.isCanceled()) await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

class BrokenTask extends AbstractInvokable {
  invoke(): Promise<void> {
    return Promise.reject(new EddyError('the user code broke'));
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function newDispatcher() {
  const rpc = new LocalRpcService();
  const clock = new ManualClock(1_000);
  const rm = new ResourceManager(rpc, clock);
  const rmAddress = rm.start();
  const libraryCacheManager = new LibraryCacheManager();
  const te = new TaskExecutor(
    rpc,
    { numberOfSlots: 2, totalResourceProfile: ResourceProfile.fromResources(2, MemorySize.ofMebiBytes(128)) },
    new LocalShuffleEnvironment(new Configuration()),
    libraryCacheManager,
    rmAddress,
  );
  await te.start();
  const stores = {
    executionPlanStore: new InMemoryExecutionPlanStore(),
    jobResultStore: new InMemoryJobResultStore(),
    executionGraphInfoStore: new InMemoryExecutionGraphInfoStore(),
  };
  const dispatcher = new Dispatcher({
    rpcService: rpc,
    resourceManagerAddress: rmAddress,
    configuration: new Configuration(),
    clock,
    executor: clock,
    libraryCacheManager,
    ...stores,
  });
  cleanups.push(async () => {
    await dispatcher.closeAsync();
    await te.closeAsync();
    await rm.closeAsync();
    await rpc.closeAsync();
  });
  return { dispatcher, libraryCacheManager, ...stores };
}

function job(invokable: InvokableClass, name = 'test job'): JobGraph {
  const jobGraph = new JobGraph(name);
  const vertex = new JobVertex('Only');
  vertex.setParallelism(1);
  vertex.setInvokableClass(invokable);
  jobGraph.addVertex(vertex);
  return jobGraph;
}

describe('Dispatcher', () => {
  it('answers every request about an unknown job with JobNotFoundError naming it', async () => {
    const { dispatcher } = await newDispatcher();
    const unknown = JobID.generate();

    for (const request of [
      dispatcher.requestJobStatus(unknown),
      dispatcher.requestJob(unknown),
      dispatcher.requestJobResult(unknown),
      dispatcher.cancelJob(unknown),
    ]) {
      await expect(request).rejects.toBeInstanceOf(JobNotFoundError);
      await expect(request).rejects.toMatchObject({
        jobId: unknown,
        message: `Could not find Flink job (${unknown}).`,
      });
    }
  });

  it('runs a job to SUCCEEDED, stores its archive and clean result, and drops its plan', async () => {
    const { dispatcher, executionPlanStore, jobResultStore, executionGraphInfoStore, libraryCacheManager } =
      await newDispatcher();
    const statuses: JobStatus[] = [];
    dispatcher.onJobStatusChange((_jobId, status) => statuses.push(status));
    const jobGraph = job(QuickTask);

    await expect(dispatcher.submitJob(jobGraph)).resolves.toBe('ACK');
    const result = await dispatcher.requestJobResult(jobGraph.getJobID());

    expect(result.getApplicationStatus()).toBe('SUCCEEDED');
    expect(statuses).toEqual([
      JobStatus.INITIALIZING,
      JobStatus.CREATED,
      JobStatus.RUNNING,
      JobStatus.FINISHED,
    ]);
    expect(await dispatcher.requestJobStatus(jobGraph.getJobID())).toBe(JobStatus.FINISHED);
    expect(await executionPlanStore.getJobIds()).toEqual([]);
    expect(await jobResultStore.getJobResultEntry(jobGraph.getJobID())).toMatchObject({ clean: true });
    expect((await executionGraphInfoStore.get(jobGraph.getJobID()))?.getState()).toBe(JobStatus.FINISHED);
    expect(libraryCacheManager.hasJob(jobGraph.getJobID())).toBe(false);
    expect(dispatcher.getNumberOfRunningJobs()).toBe(0);
    expect(await dispatcher.listJobs()).toEqual([
      expect.objectContaining({ jobId: jobGraph.getJobID(), jobName: 'test job', jobState: 'FINISHED' }),
    ]);
  });

  it('refuses to cancel a job that already ended, with JobAlreadyTerminalError', async () => {
    const { dispatcher } = await newDispatcher();
    const jobGraph = job(QuickTask);
    await dispatcher.submitJob(jobGraph);
    await dispatcher.requestJobResult(jobGraph.getJobID());

    const cancel = dispatcher.cancelJob(jobGraph.getJobID());
    await expect(cancel).rejects.toBeInstanceOf(JobAlreadyTerminalError);
    await expect(cancel).rejects.toMatchObject({ jobId: jobGraph.getJobID(), status: 'FINISHED' });
  });

  it('refuses a second submission of a running or ended job with DuplicateJobSubmissionError', async () => {
    const { dispatcher } = await newDispatcher();
    const jobGraph = job(QuickTask);
    const first = dispatcher.submitJob(jobGraph);
    await expect(dispatcher.submitJob(jobGraph)).rejects.toBeInstanceOf(DuplicateJobSubmissionError);
    await first;
    await dispatcher.requestJobResult(jobGraph.getJobID());

    await expect(dispatcher.submitJob(jobGraph)).rejects.toMatchObject({
      name: 'DuplicateJobSubmissionError',
      jobId: jobGraph.getJobID(),
    });
  });

  it('refuses an invalid job and stores nothing', async () => {
    const { dispatcher, executionPlanStore } = await newDispatcher();
    const jobGraph = new JobGraph('no invokable');
    jobGraph.addVertex(new JobVertex('Nothing'));

    await expect(dispatcher.submitJob(jobGraph)).rejects.toBeInstanceOf(InvalidJobGraphError);
    expect(await executionPlanStore.getJobIds()).toEqual([]);
    expect(dispatcher.getNumberOfRunningJobs()).toBe(0);
  });

  it('gives a failed job a result whose getJobExecutionResult throws with the task’s error', async () => {
    const { dispatcher } = await newDispatcher();
    const jobGraph = job(BrokenTask);
    await dispatcher.submitJob(jobGraph);

    const result = await dispatcher.requestJobResult(jobGraph.getJobID());

    expect(result.getApplicationStatus()).toBe('FAILED');
    expect(() => result.getJobExecutionResult()).toThrow(JobExecutionError);
    expect(() => result.getJobExecutionResult()).toThrow(/the user code broke/);
  });

  it('suspends running jobs on closeAsync({ suspend: true }): plans stay, no result or archive', async () => {
    const { dispatcher, executionPlanStore, jobResultStore, executionGraphInfoStore, libraryCacheManager } =
      await newDispatcher();
    const statuses: JobStatus[] = [];
    dispatcher.onJobStatusChange((_jobId, status) => statuses.push(status));
    const jobGraph = job(IdleTask);
    await dispatcher.submitJob(jobGraph);
    for (let i = 0; i < 200 && (await dispatcher.requestJobStatus(jobGraph.getJobID())) !== 'RUNNING'; i++)
      await new Promise((resolve) => setTimeout(resolve, 5));
    const result = dispatcher.requestJobResult(jobGraph.getJobID());

    await dispatcher.closeAsync({ suspend: true });

    expect((await result).getApplicationStatus()).toBe('UNKNOWN');
    expect(statuses.at(-1)).toBe(JobStatus.SUSPENDED);
    expect(statuses).not.toContain(JobStatus.CANCELED);
    expect(await executionPlanStore.getJobIds()).toEqual([jobGraph.getJobID()]);
    expect(await jobResultStore.getJobResultEntry(jobGraph.getJobID())).toBeUndefined();
    expect(await executionGraphInfoStore.get(jobGraph.getJobID())).toBeUndefined();
    expect(libraryCacheManager.hasJob(jobGraph.getJobID())).toBe(false);
    expect(dispatcher.getNumberOfRunningJobs()).toBe(0);
  });
});
