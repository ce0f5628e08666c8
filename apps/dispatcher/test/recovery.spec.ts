import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Configuration,
  FileSystemCheckpointStorage,
  InMemoryExecutionGraphInfoStore,
  InMemoryExecutionPlanStore,
  InMemoryJobResultStore,
  JobID,
} from '@eddy/runtime';
import type { JobGraphJson } from '@eddy/runtime';
import { DataSource } from 'typeorm';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineService } from '../src/engine/engine.service.js';
import { JobRecoveryService, findLatestCheckpoint } from '../src/engine/job-recovery.service.js';
import {
  BACKENDS,
  bodyOf,
  createTestDatabase,
  endlessJob,
  smallWordCount,
  startTestApp,
  submit,
  waitForStatus,
} from './support/test-app.js';

describe.each(BACKENDS)('job recovery on %s', (kind) => {
  it('resumes a running job under the same ID after a restart', async () => {
    const database = await createTestDatabase(kind);
    try {
      const first = await startTestApp(database.settings);
      let jobId: string;
      try {
        jobId = await submit(first, endlessJob());
        await waitForStatus(first, jobId, 'RUNNING');
      } finally {
        await first.close();
      }

      const second = await startTestApp(database.settings);
      try {
        // Suspended on shutdown: nothing was archived and no result written.
        expect(await second.count(`job_results WHERE job_id = '${jobId}'`)).toBe(0);
        expect(await second.count(`archived_execution_graphs WHERE job_id = '${jobId}'`)).toBe(0);
        expect(second.app.get(EngineService).recoveryReport?.recovered).toEqual([
          { jobId, checkpoint: undefined },
        ]);
        await waitForStatus(second, jobId, 'RUNNING');
        expect((await second.http.get('/jobs').expect(200)).body).toEqual({
          jobs: [{ id: jobId, status: 'RUNNING' }],
        });
        await second.http.patch(`/jobs/${jobId}?mode=cancel`).expect(202);
        await waitForStatus(second, jobId, 'CANCELED');
      } finally {
        await second.close();
      }

      const third = await startTestApp(database.settings);
      try {
        // Cancelled jobs end globally: listed, never recovered.
        expect(third.app.get(EngineService).recoveryReport?.recovered).toEqual([]);
        expect((await third.http.get('/jobs').expect(200)).body).toEqual({
          jobs: [{ id: jobId, status: 'CANCELED' }],
        });
      } finally {
        await third.close();
      }
    } finally {
      await database.drop();
    }
  });

  it('only cleans up a job with a dirty result: it is not run again', async () => {
    const database = await createTestDatabase(kind);
    try {
      const first = await startTestApp(database.settings);
      let jobId: string;
      try {
        const graph = await smallWordCount(20);
        jobId = await submit(first, graph);
        await waitForStatus(first, jobId, 'FINISHED');
        // As if the service had died between writing the dirty result and cleaning up.
        const dataSource = first.app.get(DataSource);
        await dataSource.query(`UPDATE job_results SET clean = false WHERE job_id = $1`, [jobId]);
        await dataSource.query(
          `INSERT INTO execution_plans (job_id, job_name, plan) VALUES ($1, $2, $3::jsonb)`,
          [jobId, 'WordCount', JSON.stringify({ ...graph, jid: jobId })],
        );
      } finally {
        await first.close();
      }

      const second = await startTestApp(database.settings);
      try {
        const report = second.app.get(EngineService).recoveryReport;
        expect(report?.recovered).toEqual([]);
        expect(report?.cleanedUp).toEqual([jobId]);
        expect(await second.count(`execution_plans`)).toBe(0);
        expect(await second.count(`job_results WHERE job_id = '${jobId}' AND clean`)).toBe(1);
        expect((await second.http.get('/jobs').expect(200)).body).toEqual({
          jobs: [{ id: jobId, status: 'FINISHED' }],
        });
        const overview = bodyOf<Record<string, number>>(await second.http.get('/overview').expect(200));
        expect(overview['jobs-running']).toBe(0);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  });
});

describe('latest checkpoint for recovery', () => {
  const directories: string[] = [];
  afterEach(async () => {
    for (const directory of directories.splice(0)) await rm(directory, { recursive: true, force: true });
  });

  async function checkpointDirectory(jobId: JobID): Promise<string> {
    const directory = await mkdtemp(join(tmpdir(), 'eddy-recovery-'));
    directories.push(directory);
    const storage = new FileSystemCheckpointStorage({ checkpointDirectory: directory });
    for (const checkpointId of [1, 2, 10]) {
      const location = await storage.initializeLocationForCheckpoint(jobId, checkpointId);
      await location.finalize({
        version: 1,
        jobId,
        checkpointId,
        timestamp: 1_000 + checkpointId,
        snapshotType: 'CHECKPOINT',
        operators: [],
      });
    }
    // Newer, but not completed: no _metadata, and a torn one.
    await mkdir(join(directory, jobId, 'chk-12'), { recursive: true });
    await mkdir(join(directory, jobId, 'chk-11'), { recursive: true });
    await writeFile(join(directory, jobId, 'chk-11', '_metadata'), '{"version": 1, "jobI');
    return directory;
  }

  it('picks the highest chk-<n> whose _metadata resolves', async () => {
    const jobId = JobID.generate();
    const directory = await checkpointDirectory(jobId);
    const configuration = new Configuration().setString('execution.checkpointing.dir', directory);

    expect(await findLatestCheckpoint(configuration, jobId)).toBe(join(directory, jobId, 'chk-10'));
    expect(await findLatestCheckpoint(configuration, JobID.generate())).toBeUndefined();
    expect(await findLatestCheckpoint(new Configuration(), jobId)).toBeUndefined();
  });

  it('resubmits a stored job from its latest checkpoint (CLAIM), or from scratch without one', async () => {
    const withCheckpoint = JobID.generate();
    const withoutDirectory = JobID.generate();
    const ended = JobID.generate();
    const directory = await checkpointDirectory(withCheckpoint);
    const stores = {
      executionPlanStore: new InMemoryExecutionPlanStore(),
      jobResultStore: new InMemoryJobResultStore(),
      executionGraphInfoStore: new InMemoryExecutionGraphInfoStore(),
    };
    const plan = (jid: JobID, configuration: Record<string, string> = {}): JobGraphJson => ({
      jid,
      name: `job ${jid}`,
      configuration,
      savepointRestore: { path: '/some/savepoint', allowNonRestoredState: true, claimMode: 'NO_CLAIM' },
      vertices: [],
    });
    await stores.executionPlanStore.putExecutionPlan(
      plan(withCheckpoint, { 'execution.checkpointing.dir': directory }),
    );
    await stores.executionPlanStore.putExecutionPlan(plan(withoutDirectory));
    await stores.executionPlanStore.putExecutionPlan(plan(ended));
    await stores.jobResultStore.createDirtyResult({
      jobId: ended,
      applicationStatus: 'SUCCEEDED',
      accumulatorResults: {},
      netRuntime: 1,
    } as never);
    const submitted: JobGraphJson[] = [];

    const report = await new JobRecoveryService().recover(stores, new Configuration(), (json) => {
      submitted.push(json);
      return Promise.resolve();
    });

    expect(report.cleanedUp).toEqual([ended]);
    expect(report.recovered.map((r) => r.jobId)).toEqual([withCheckpoint, withoutDirectory]);
    expect(submitted.map((json) => [json.jid, json.savepointRestore])).toEqual([
      // A completed checkpoint wins over the savepoint the job was submitted with.
      [
        withCheckpoint,
        { path: join(directory, withCheckpoint, 'chk-10'), allowNonRestoredState: false, claimMode: 'CLAIM' },
      ],
      [withoutDirectory, { path: '/some/savepoint', allowNonRestoredState: true, claimMode: 'NO_CLAIM' }],
    ]);
    expect(await stores.executionPlanStore.getJobIds()).toEqual([withCheckpoint, withoutDirectory]);
    expect(await stores.jobResultStore.getJobResultEntry(ended)).toMatchObject({ clean: true });
  });
});
