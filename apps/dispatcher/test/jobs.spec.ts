import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestDatabase } from './support/test-app.js';
import {
  BACKENDS,
  bodyOf,
  createTestDatabase,
  errorsOf,
  endlessJob,
  smallWordCount,
  startTestApp,
  submit,
  waitForStatus,
} from './support/test-app.js';

interface JobDetailsInfo {
  jid: string;
  name: string;
  state: string;
  'job-type': string;
  'start-time': number;
  'end-time': number;
  duration: number;
  now: number;
  timestamps: Record<string, number>;
  'status-counts': Record<string, number>;
  vertices: {
    id: string;
    name: string;
    parallelism: number;
    status: string;
    'start-time': number;
    'end-time': number;
    tasks: Record<string, number>;
  }[];
}

describe.each(BACKENDS)('jobs on %s', (kind) => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await startTestApp(database.settings);
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('serves the dashboard configuration and the cluster overview, also under /v1', async () => {
    for (const prefix of ['', '/v1']) {
      const config = await app.http.get(`${prefix}/config`).expect(200);
      expect(config.body).toMatchObject({ 'refresh-interval': 3000, features: { 'web-cancel': true } });
      const overview = await app.http.get(`${prefix}/overview`).expect(200);
      expect(overview.body).toMatchObject({ taskmanagers: 1, 'slots-total': 4 });
    }
  });

  it('runs a submitted WordCount to FINISHED and lists it with its details', async () => {
    const jobId = await submit(app, await smallWordCount());
    await waitForStatus(app, jobId, 'FINISHED');

    const jobs = await app.http.get('/jobs').expect(200);
    expect(bodyOf<{ jobs: unknown[] }>(jobs).jobs).toContainEqual({ id: jobId, status: 'FINISHED' });

    const overview = await app.http.get('/v1/jobs/overview').expect(200);
    const line = bodyOf<{ jobs: { jid: string }[] }>(overview).jobs.find((job) => job.jid === jobId);
    expect(line).toMatchObject({ name: 'WordCount', state: 'FINISHED', 'pending-operators': 0 });
    expect(line).toHaveProperty(['tasks', 'total'], 7);
    expect(line).toHaveProperty(['tasks', 'finished'], 7);

    const details = (await app.http.get(`/jobs/${jobId}`).expect(200)).body as JobDetailsInfo;
    expect(details).toMatchObject({
      jid: jobId,
      name: 'WordCount',
      state: 'FINISHED',
      'job-type': 'STREAMING',
    });
    expect(details['end-time']).toBeGreaterThanOrEqual(details['start-time']);
    expect(details.duration).toBe(details['end-time'] - details['start-time']);
    expect(details.timestamps.FINISHED).toBe(details['end-time']);
    expect(details['status-counts'].FINISHED).toBe(7);
    expect(details.vertices.map((v) => [v.name, v.parallelism, v.status])).toEqual([
      ['Generate text', 2, 'FINISHED'],
      ['Tokenize', 2, 'FINISHED'],
      ['Count words', 2, 'FINISHED'],
      ['Collect', 1, 'FINISHED'],
    ]);
    for (const vertex of details.vertices) {
      expect(vertex['end-time']).toBeGreaterThanOrEqual(vertex['start-time']);
      expect(vertex.tasks.FINISHED).toBe(vertex.parallelism);
    }
    expect((await app.http.get(`/v1/jobs/${jobId}`).expect(200)).body).toMatchObject({ jid: jobId });

    // Ended: its plan is gone, its clean result and archive are stored.
    expect(await app.count('execution_plans')).toBe(0);
    expect(await app.count('job_results WHERE clean')).toBeGreaterThanOrEqual(1);
    expect(await app.count(`archived_execution_graphs WHERE job_id = '${jobId}'`)).toBe(1);

    const cluster = await app.http.get('/overview').expect(200);
    expect(bodyOf<Record<string, number>>(cluster)['jobs-finished']).toBeGreaterThanOrEqual(1);
  });

  it('cancels a running job', async () => {
    const jobId = await submit(app, endlessJob());
    await waitForStatus(app, jobId, 'RUNNING');
    // Stored before it was acknowledged, and still there while it runs.
    expect(await app.count(`execution_plans WHERE job_id = '${jobId}'`)).toBe(1);

    const running = (await app.http.get(`/jobs/${jobId}`).expect(200)).body as JobDetailsInfo;
    expect(running['end-time']).toBe(-1);
    expect(running.vertices.every((v) => v['end-time'] === -1)).toBe(true);
    expect(
      bodyOf<Record<string, number>>(await app.http.get('/overview').expect(200))['jobs-running'],
    ).toBeGreaterThanOrEqual(1);

    const cancel = await app.http.patch(`/jobs/${jobId}?mode=cancel`).expect(202);
    expect(cancel.body).toEqual({});
    await waitForStatus(app, jobId, 'CANCELED');
    const details = (await app.http.get(`/jobs/${jobId}`).expect(200)).body as JobDetailsInfo;
    expect(details.state).toBe('CANCELED');
    expect(details['status-counts'].CANCELED).toBe(2);
    expect(await app.count(`execution_plans WHERE job_id = '${jobId}'`)).toBe(0);

    // Cancelling it again: it already ended.
    const again = await app.http.patch(`/v1/jobs/${jobId}`).expect(409);
    expect(errorsOf(again)[0]).toContain('CANCELED');
  });

  describe('bad requests change nothing', () => {
    const stored = async () => ({
      plans: await app.count('execution_plans'),
      results: await app.count('job_results'),
      archives: await app.count('archived_execution_graphs'),
    });

    it('rejects malformed JSON with 400', async () => {
      const before = await stored();
      const response = await app.http
        .post('/jobs')
        .set('Content-Type', 'application/json')
        .send('{"name": "broken",')
        .expect(400);
      expect(errorsOf(response)[0]).toBe('Bad request received. Request did not conform to expected format.');
      expect(await stored()).toEqual(before);
    });

    it('rejects an invalid job graph with 400 and every problem', async () => {
      const before = await stored();
      const shape = await app.http.post('/jobs').send({ name: '', vertices: 'none' }).expect(400);
      expect(errorsOf(shape)).toEqual([
        'name: must be a non-empty string.',
        'vertices: must be an array of vertices.',
      ]);

      const semantic = await app.http
        .post('/v1/jobs')
        .send({ name: 'Unknown', vertices: [{ name: 'x', invokable: 'no.such-invokable', parallelism: 1 }] })
        .expect(400);
      expect(errorsOf(semantic).length).toBeGreaterThanOrEqual(1);
      expect(errorsOf(semantic).join(' ')).toContain('no.such-invokable');
      expect(await stored()).toEqual(before);
    });

    it('answers 404 for unknown jobs, bad job IDs and unknown routes', async () => {
      const unknown = 'a'.repeat(32);
      for (const path of [`/jobs/${unknown}`, `/jobs/${unknown}/status`, `/v1/jobs/${unknown}`]) {
        expect((await app.http.get(path).expect(404)).body).toEqual({ errors: ['Job could not be found.'] });
      }
      expect((await app.http.patch(`/jobs/${unknown}?mode=cancel`).expect(404)).body).toEqual({
        errors: ['Job could not be found.'],
      });
      const badId = await app.http.get('/jobs/not-a-job-id').expect(404);
      expect(errorsOf(badId)[0]).toBe('Job could not be found.');
      expect((await app.http.get('/no/such/route').expect(404)).body).toEqual({
        errors: ['Not found: /no/such/route'],
      });
    });

    it('answers 409 for cancelling a finished job and for a duplicate job ID', async () => {
      const jobId = await submit(app, await smallWordCount(10));
      await waitForStatus(app, jobId, 'FINISHED');
      const before = await stored();
      const cancel = await app.http.patch(`/jobs/${jobId}?mode=cancel`).expect(409);
      expect(errorsOf(cancel)).toEqual([`Job ${jobId} has already reached the terminal state FINISHED.`]);
      const duplicate = await app.http
        .post('/jobs')
        .send({ ...(await smallWordCount(10)), jid: jobId })
        .expect(409);
      expect(errorsOf(duplicate)[0]).toContain(jobId);
      expect(await stored()).toEqual(before);
    });

    it('answers 400 for an unsupported termination mode', async () => {
      const response = await app.http.patch(`/jobs/${'b'.repeat(32)}?mode=stop`).expect(400);
      expect(errorsOf(response)[0]).toContain('stop');
    });
  });

  it('serves its OpenAPI document', async () => {
    const response = await app.http.get('/openapi.json').expect(200);
    const document = bodyOf<{ openapi: string; paths: object }>(response);
    expect(document.openapi).toBe('3.0.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/jobs',
        '/jobs/overview',
        '/jobs/{jobid}',
        '/v1/jobs/{jobid}/status',
        '/config',
      ]),
    );
  });
});
