import { describe, expect, it } from 'vitest';
import {
  BACKENDS,
  bodyOf,
  createTestDatabase,
  smallWordCount,
  startTestApp,
  submit,
  waitForStatus,
} from './support/test-app.js';

describe.each(BACKENDS)('restart on %s', (kind) => {
  it('still lists finished jobs with their details after a restart', async () => {
    const database = await createTestDatabase(kind);
    try {
      const first = await startTestApp(database.settings);
      let jobId: string;
      let details: Record<string, unknown>;
      try {
        jobId = await submit(first, await smallWordCount(50));
        await waitForStatus(first, jobId, 'FINISHED');
        details = (await first.http.get(`/jobs/${jobId}`).expect(200)).body as Record<string, unknown>;
      } finally {
        await first.close();
      }

      const second = await startTestApp(database.settings);
      try {
        expect((await second.http.get('/jobs').expect(200)).body).toEqual({
          jobs: [{ id: jobId, status: 'FINISHED' }],
        });
        const overview = await second.http.get('/jobs/overview').expect(200);
        const jobs = bodyOf<{ jobs: unknown[] }>(overview).jobs;
        expect(jobs).toHaveLength(1);
        expect(jobs[0]).toMatchObject({ jid: jobId, state: 'FINISHED' });
        const after = (await second.http.get(`/jobs/${jobId}`).expect(200)).body as Record<string, unknown>;
        expect({ ...after, now: 0 }).toEqual({ ...details, now: 0 });
        expect(
          bodyOf<Record<string, number>>(await second.http.get('/overview').expect(200))['jobs-finished'],
        ).toBe(1);
      } finally {
        await second.close();
      }
    } finally {
      await database.drop();
    }
  });
});
