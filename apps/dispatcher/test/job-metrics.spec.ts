import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestDatabase } from './support/test-app.js';
import {
  BACKENDS,
  bodyOf,
  createTestDatabase,
  errorsOf,
  smallWordCount,
  startTestApp,
  submit,
  waitForStatus,
} from './support/test-app.js';

interface BackPressure {
  status: string;
  'backpressure-level': string;
  'end-timestamp': number;
  subtasks: Record<string, number | string>[];
}

describe.each(BACKENDS)('vertex back pressure and metrics (%s)', (kind) => {
  let database: TestDatabase;
  let app: TestApp;
  let jobId: string;
  let vertexIds: string[];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await startTestApp(database.settings);
    jobId = await submit(app, await smallWordCount(50));
    await waitForStatus(app, jobId, 'FINISHED');
    const details = await app.http.get(`/jobs/${jobId}`).expect(200);
    vertexIds = bodyOf<{ vertices: { id: string }[] }>(details).vertices.map((vertex) => vertex.id);
  }, 30_000);

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('answers back pressure per subtask, with zero ratios (not measured)', async () => {
    const vertexId = vertexIds[0] ?? '';
    const response = await app.http.get(`/jobs/${jobId}/vertices/${vertexId}/backpressure`).expect(200);
    const body = bodyOf<BackPressure>(response);
    expect(body.status).toBe('ok');
    expect(body['backpressure-level']).toBe('ok');
    expect(body['end-timestamp']).toBeGreaterThan(0);
    expect(body.subtasks.length).toBeGreaterThan(0);
    for (const [index, subtask] of body.subtasks.entries()) {
      expect(subtask).toEqual({
        subtask: index,
        'attempt-number': 0,
        'backpressure-level': 'ok',
        ratio: 0,
        idleRatio: 0,
        busyRatio: 0,
        backpressuredRatio: 0,
      });
    }
    await app.http.get(`/v1/jobs/${jobId}/vertices/${vertexId}/backpressure`).expect(200);
  });

  it('lists metric names, and answers the values asked for as strings', async () => {
    const names = bodyOf<{ id: string; value?: string }[]>(
      await app.http.get(`/jobs/${jobId}/vertices/${vertexIds[0] ?? ''}/metrics`).expect(200),
    );
    expect(names.map((metric) => metric.id)).toEqual(
      expect.arrayContaining([
        'numRecordsIn',
        'numRecordsOut',
        'numBuffersIn',
        'numBuffersOut',
        '0.numRecordsOut',
      ]),
    );
    for (const metric of names) expect(metric).toEqual({ id: metric.id });

    // Records flow from the first vertex to the last: what every vertex wrote, the next one read.
    let total = 0;
    for (const [index, vertexId] of vertexIds.entries()) {
      const values = bodyOf<{ id: string; value: string }[]>(
        await app.http
          .get(`/jobs/${jobId}/vertices/${vertexId}/metrics?get=numRecordsIn,numRecordsOut,unknownMetric`)
          .expect(200),
      );
      expect(values.map((metric) => metric.id)).toEqual(['numRecordsIn', 'numRecordsOut']);
      for (const metric of values) expect(metric.value).toMatch(/^\d+$/);
      if (index === 0) total = Number(values[1]?.value);
      if (index === 1) expect(Number(values[0]?.value)).toBe(total);
    }
    expect(total).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown vertex or job, or a malformed job ID', async () => {
    const unknownVertex = '0'.repeat(32);
    for (const route of ['backpressure', 'metrics']) {
      const response = await app.http.get(`/jobs/${jobId}/vertices/${unknownVertex}/${route}`).expect(404);
      expect(errorsOf(response)[0]).toContain(unknownVertex);
      await app.http.get(`/jobs/${'f'.repeat(32)}/vertices/${vertexIds[0] ?? ''}/${route}`).expect(404);
      await app.http.get(`/jobs/not-a-job/vertices/${unknownVertex}/${route}`).expect(404);
    }
  });
});
