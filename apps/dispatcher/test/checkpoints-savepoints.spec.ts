import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiscardSink, StreamExecutionEnvironment } from '@eddy/runtime';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineService } from '../src/engine/engine.service.js';
import type { TestApp, TestDatabase } from './support/test-app.js';
import {
  BACKENDS,
  bodyOf,
  createTestDatabase,
  endlessJob,
  errorsOf,
  startTestApp,
  submit,
  waitForStatus,
} from './support/test-app.js';

interface OperationResult {
  status: { id: 'IN_PROGRESS' | 'COMPLETED' };
  operation?: Record<string, unknown>;
}

interface CheckpointStatistics {
  className: string;
  id: number;
  status: string;
  is_savepoint: boolean;
  checkpoint_type: string;
  num_subtasks: number;
  num_acknowledged_subtasks: number;
  external_path?: string;
  discarded?: boolean;
  tasks: Record<string, { id: number; num_subtasks: number }>;
}

interface CheckpointingStatistics {
  counts: Record<string, number>;
  summary: Record<string, Record<string, number>>;
  latest: Record<string, CheckpointStatistics | null>;
  history: CheckpointStatistics[];
}

const TRIGGER_ID = /^[0-9a-f]{32}$/;

describe.each(BACKENDS)('checkpoints and savepoints on %s', (kind) => {
  let database: TestDatabase;
  let app: TestApp;
  let roots: string;
  let outside: string;

  beforeAll(async () => {
    roots = await mkdtemp(join(tmpdir(), 'eddy-savepoint-roots-'));
    outside = await mkdtemp(join(tmpdir(), 'eddy-savepoint-outside-'));
    database = await createTestDatabase(kind);
    app = await startTestApp(database.settings, { savepointRoots: [roots] });
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
    await rm(roots, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  /** A checkpointed streaming job (fluent API, so submitted through the engine) that runs until stopped. */
  async function submitStreamingJob(): Promise<string> {
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    env.enableCheckpointing(3_600_000);
    env
      .fromGenerator({ generate: (i) => i, recordsPerSecond: 1000 })
      .uid('numbers')
      .sinkTo(new DiscardSink<number>());
    const jobGraph = env.getJobGraph('Checkpointed numbers');
    await app.app.get(EngineService).cluster.submitJob(jobGraph);
    const jobId = jobGraph.getJobID();
    await waitForStatus(app, jobId, 'RUNNING');
    return jobId;
  }

  /** Polls an operation until it completes. */
  async function poll(path: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const result = bodyOf<OperationResult>(await app.http.get(path).expect(200));
      if (result.status.id === 'COMPLETED') return result.operation ?? {};
      expect(result).not.toHaveProperty('operation');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`${path} did not complete within ${timeoutMs} ms.`);
  }

  /** Triggers checkpoints until one completes (the first may come before every task runs). */
  async function completedCheckpoint(jobId: string): Promise<number> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const trigger = await app.http.post(`/jobs/${jobId}/checkpoints`).send({}).expect(202);
      const requestId = bodyOf<{ 'request-id': string }>(trigger)['request-id'];
      expect(requestId).toMatch(TRIGGER_ID);
      const operation = await poll(`/jobs/${jobId}/checkpoints/${requestId}`);
      if (typeof operation.checkpointId === 'number') return operation.checkpointId;
      expect(operation).toHaveProperty(['failureCause', 'class']);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('No checkpoint completed.');
  }

  it('triggers a checkpoint and reports statistics, details and configuration', async () => {
    const jobId = await submitStreamingJob();
    const checkpointId = await completedCheckpoint(jobId);

    const stats = bodyOf<CheckpointingStatistics>(
      await app.http.get(`/v1/jobs/${jobId}/checkpoints`).expect(200),
    );
    expect(stats.counts.completed).toBeGreaterThanOrEqual(1);
    expect(stats.counts.total).toBeGreaterThanOrEqual(stats.counts.completed ?? 0);
    expect(Object.keys(stats.counts).sort()).toEqual([
      'completed',
      'failed',
      'in_progress',
      'restored',
      'total',
    ]);
    expect(Object.keys(stats.summary).sort()).toEqual([
      'alignment_buffered',
      'checkpointed_size',
      'end_to_end_duration',
      'persisted_data',
      'processed_data',
      'state_size',
    ]);
    expect(Object.keys(stats.summary.end_to_end_duration ?? {}).sort()).toEqual(
      ['avg', 'max', 'min', 'p50', 'p90', 'p95', 'p99', 'p999'].sort(),
    );
    expect(stats.latest.completed).toMatchObject({
      className: 'completed',
      id: checkpointId,
      status: 'COMPLETED',
      is_savepoint: false,
      checkpoint_type: 'CHECKPOINT',
      discarded: false,
    });
    expect(stats.latest).toHaveProperty('restored', null);
    const line = stats.history.find((checkpoint) => checkpoint.id === checkpointId);
    expect(line).toMatchObject({ className: 'completed', tasks: {} });
    expect(typeof line?.external_path).toBe('string');

    const details = bodyOf<CheckpointStatistics>(
      await app.http.get(`/jobs/${jobId}/checkpoints/details/${checkpointId}`).expect(200),
    );
    expect(details).toMatchObject({ className: 'completed', id: checkpointId });
    expect(details.num_acknowledged_subtasks).toBe(details.num_subtasks);
    const [vertexId, task] = Object.entries(details.tasks)[0] ?? [];
    expect(task).toMatchObject({ id: checkpointId, num_subtasks: 1 });

    const subtasks = await app.http
      .get(`/jobs/${jobId}/checkpoints/details/${checkpointId}/subtasks/${vertexId}`)
      .expect(200);
    const withSubtasks = bodyOf<{
      summary: { checkpoint_duration: { sync: { min: number } } };
      subtasks: { checkpoint: { sync: number } }[];
    }>(subtasks);
    expect(withSubtasks).toMatchObject({
      id: checkpointId,
      status: 'COMPLETED',
      summary: { alignment: { buffered: { max: 0 } } },
      subtasks: [{ index: 0, status: 'completed' }],
    });
    expect(typeof withSubtasks.summary.checkpoint_duration.sync.min).toBe('number');
    expect(typeof withSubtasks.subtasks[0]?.checkpoint.sync).toBe('number');
    expect(errorsOf(await app.http.get(`/jobs/${jobId}/checkpoints/details/987654`).expect(404))[0]).toMatch(
      /987654/,
    );
    await app.http
      .get(`/jobs/${jobId}/checkpoints/details/${checkpointId}/subtasks/${'0'.repeat(32)}`)
      .expect(404);
    await app.http.get(`/jobs/${jobId}/checkpoints/details/abc`).expect(400);

    const config = await app.http.get(`/jobs/${jobId}/checkpoints/config`).expect(200);
    expect(config.body).toMatchObject({
      mode: 'exactly_once',
      interval: 3_600_000,
      timeout: 600_000,
      min_pause: 0,
      max_concurrent: 1,
      externalization: { enabled: false, delete_on_cancellation: true },
      tolerable_failed_checkpoints: 0,
      unaligned_checkpoints: false,
      state_backend: 'hashmap',
      checkpoint_storage: 'JobManagerCheckpointStorage',
    });

    await app.http.patch(`/jobs/${jobId}?mode=cancel`).expect(202);
    await waitForStatus(app, jobId, 'CANCELED');
  });

  it('is idempotent on the trigger ID and forgets results after the store duration', async () => {
    const jobId = await submitStreamingJob();
    await completedCheckpoint(jobId);
    const triggerId = 'ab'.repeat(16);
    const first = await app.http.post(`/jobs/${jobId}/checkpoints`).send({ triggerId }).expect(202);
    expect(first.body).toEqual({ 'request-id': triggerId });
    await poll(`/jobs/${jobId}/checkpoints/${triggerId}`);
    const total = bodyOf<CheckpointingStatistics>(await app.http.get(`/jobs/${jobId}/checkpoints`)).counts
      .total;
    const again = await app.http.post(`/jobs/${jobId}/checkpoints`).send({ triggerId }).expect(202);
    expect(again.body).toEqual({ 'request-id': triggerId });
    expect(await app.count(`async_operations WHERE trigger_id = '${triggerId}'`)).toBe(1);
    const after = bodyOf<CheckpointingStatistics>(await app.http.get(`/jobs/${jobId}/checkpoints`)).counts
      .total;
    expect(after).toBe(total);

    // Another kind of operation cannot take the ID over.
    await app.http
      .post(`/jobs/${jobId}/savepoints`)
      .send({ triggerId, 'target-directory': roots })
      .expect(409);

    await app.app
      .get(DataSource)
      .query(
        `UPDATE async_operations SET completed_at = now() - interval '6 minutes' WHERE trigger_id = $1`,
        [triggerId],
      );
    const expired = await app.http.get(`/jobs/${jobId}/checkpoints/${triggerId}`).expect(404);
    expect(errorsOf(expired)[0]).toMatch(/^Operation not found under key: /);

    await app.http.patch(`/jobs/${jobId}?mode=cancel`).expect(202);
    await waitForStatus(app, jobId, 'CANCELED');
  });

  it('takes a savepoint into a root, then disposes it', async () => {
    const jobId = await submitStreamingJob();
    await completedCheckpoint(jobId);
    const target = join(roots, 'savepoints');
    const trigger = await app.http
      .post(`/jobs/${jobId}/savepoints`)
      .send({ 'target-directory': target, 'cancel-job': false })
      .expect(202);
    const requestId = bodyOf<{ 'request-id': string }>(trigger)['request-id'];
    const operation = await poll(`/jobs/${jobId}/savepoints/${requestId}`);
    const location = String(operation.location);
    expect(location).toContain(target);
    expect(existsSync(location.replace(/^file:/, ''))).toBe(true);

    const stats = bodyOf<CheckpointingStatistics>(
      await app.http.get(`/jobs/${jobId}/checkpoints`).expect(200),
    );
    expect(stats.latest.savepoint).toMatchObject({ is_savepoint: true, checkpoint_type: 'SAVEPOINT' });

    const disposal = await app.http
      .post('/savepoint-disposal')
      .send({ 'savepoint-path': location })
      .expect(200);
    const disposalId = bodyOf<{ 'request-id': string }>(disposal)['request-id'];
    expect(disposalId).toMatch(TRIGGER_ID);
    expect(await poll(`/v1/savepoint-disposal/${disposalId}`)).toEqual({});
    expect(existsSync(location.replace(/^file:/, ''))).toBe(false);

    // Disposing it again fails, as the operation's result.
    const again = await app.http.post('/savepoint-disposal').send({ 'savepoint-path': location }).expect(200);
    const failed = await poll(`/savepoint-disposal/${bodyOf<{ 'request-id': string }>(again)['request-id']}`);
    expect(failed).toHaveProperty(['failure-cause', 'stack-trace']);

    await app.http.patch(`/jobs/${jobId}?mode=cancel`).expect(202);
    await waitForStatus(app, jobId, 'CANCELED');
  });

  it('stops a job with a savepoint: the job FINISHES', async () => {
    const jobId = await submitStreamingJob();
    await completedCheckpoint(jobId);
    const trigger = await app.http
      .post(`/jobs/${jobId}/stop`)
      .send({ targetDirectory: join(roots, 'stopped'), drain: false })
      .expect(202);
    const requestId = bodyOf<{ 'request-id': string }>(trigger)['request-id'];
    const operation = await poll(`/jobs/${jobId}/savepoints/${requestId}`);
    expect(String(operation.location)).toContain(join(roots, 'stopped'));
    await waitForStatus(app, jobId, 'FINISHED');
    // The result is still answerable once the job ended, and re-posting the key starts nothing.
    await app.http.get(`/jobs/${jobId}/savepoints/${requestId}`).expect(200);
    const again = await app.http.post(`/jobs/${jobId}/stop`).send({ triggerId: requestId }).expect(202);
    expect(again.body).toEqual({ 'request-id': requestId });
  });

  it('refuses directories outside the roots, relative ones, and a savepoint without any directory', async () => {
    const jobId = await submit(app, endlessJob());
    const elsewhere = join(outside, 'savepoints');
    const refused = await app.http
      .post(`/jobs/${jobId}/savepoints`)
      .send({ 'target-directory': elsewhere })
      .expect(400);
    expect(errorsOf(refused)[0]).toContain(elsewhere);
    await app.http
      .post(`/jobs/${jobId}/stop`)
      .send({ targetDirectory: `${roots}/../escape` })
      .expect(400);
    await app.http.post(`/jobs/${jobId}/savepoints`).send({ 'target-directory': 'relative/dir' }).expect(400);
    const disposal = await app.http
      .post('/savepoint-disposal')
      .send({ 'savepoint-path': elsewhere })
      .expect(400);
    expect(errorsOf(disposal)[0]).toContain(elsewhere);
    await app.http.post('/savepoint-disposal').send({}).expect(400);
    const noDirectory = await app.http.post(`/jobs/${jobId}/savepoints`).send({}).expect(400);
    expect(errorsOf(noDirectory)[0]).toContain('execution.checkpointing.savepoint-dir');
    await app.http
      .post(`/jobs/${jobId}/savepoints`)
      .send({ 'target-directory': roots, formatType: 'X' })
      .expect(400);
    await app.http.post(`/jobs/${jobId}/checkpoints`).send({ triggerId: 'nope' }).expect(400);
    await app.http.patch(`/jobs/${jobId}?mode=cancel`).expect(202);
    await waitForStatus(app, jobId, 'CANCELED');
  });

  it('answers 404 for a job without checkpointing, unknown triggers and unknown jobs', async () => {
    const jobId = await submit(app, endlessJob());
    await waitForStatus(app, jobId, 'RUNNING');
    expect(errorsOf(await app.http.get(`/jobs/${jobId}/checkpoints`).expect(404))).toEqual([
      'Checkpointing has not been enabled.',
    ]);
    await app.http.get(`/jobs/${jobId}/checkpoints/config`).expect(404);
    const unknown = 'cd'.repeat(16);
    for (const path of [
      `/jobs/${jobId}/checkpoints/${unknown}`,
      `/jobs/${jobId}/savepoints/${unknown}`,
      `/savepoint-disposal/${unknown}`,
    ]) {
      const response = await app.http.get(path).expect(404);
      expect(errorsOf(response)[0]).toMatch(/^Operation not found under key: .*cdcd/);
    }
    // A checkpoint of a job without checkpointing fails as the operation's result.
    const trigger = await app.http.post(`/jobs/${jobId}/checkpoints`).expect(202);
    const operation = await poll(
      `/jobs/${jobId}/checkpoints/${bodyOf<{ 'request-id': string }>(trigger)['request-id']}`,
    );
    expect(operation).toHaveProperty(['failureCause', 'class']);
    await app.http.get(`/jobs/${'f'.repeat(32)}/checkpoints`).expect(404);
    await app.http
      .post(`/jobs/${'f'.repeat(32)}/savepoints`)
      .send({ 'target-directory': roots })
      .expect(404);
    await app.http.patch(`/jobs/${jobId}?mode=cancel`).expect(202);
    await waitForStatus(app, jobId, 'CANCELED');
  });
});
