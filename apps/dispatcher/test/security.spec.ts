import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestDatabase } from './support/test-app.js';
import { BACKENDS, createTestDatabase, errorsOf, smallWordCount, startTestApp } from './support/test-app.js';
import { connect } from './support/events-client.js';

const TOKEN = 'test-token-0123456789';

describe.each(BACKENDS)('security on %s', (kind) => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await startTestApp(database.settings, { authToken: TOKEN, maxBodyBytes: 64 * 1024 });
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('refuses mutating routes without the right bearer token and stores nothing', async () => {
    const graph = await smallWordCount(10);
    const missing = await app.http.post('/jobs').send(graph).expect(401);
    expect(errorsOf(missing)[0]).toMatch(/^Unauthorized: /);
    const wrong = await app.http.post('/jobs').set('Authorization', 'Bearer nope').send(graph).expect(401);
    expect(errorsOf(wrong)[0]).toMatch(/^Unauthorized: /);
    const basic = await app.http
      .post('/v1/jobs')
      .set('Authorization', `Basic ${TOKEN}`)
      .send(graph)
      .expect(401);
    expect(errorsOf(basic)[0]).toMatch(/^Unauthorized: /);
    await app.http.patch('/jobs/00000000000000000000000000000000?mode=cancel').expect(401);
    expect(await app.count('execution_plans')).toBe(0);
    expect(await app.count('archived_execution_graphs')).toBe(0);
  });

  it('accepts the right token and keeps reads open', async () => {
    const accepted = await app.http
      .post('/jobs')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send(await smallWordCount(10))
      .expect(202);
    expect(accepted.body).toHaveProperty('jobUrl');
    const jobs = await app.http.get('/jobs').expect(200);
    expect((jobs.body as { jobs: unknown[] }).jobs).toHaveLength(1);
    await app.http.get('/overview').expect(200);
  });

  it('answers an oversized body with 413 and the error body', async () => {
    const huge = { name: 'x'.repeat(128 * 1024), vertices: [] };
    const response = await app.http
      .post('/jobs')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send(huge)
      .expect(413);
    expect(errorsOf(response)[0]).toMatch(/Payload too large/);
  });

  it('refuses socket.io connections without the token', async () => {
    await expect(connect(app)).rejects.toThrow(/Unauthorized/);
    await expect(connect(app, { token: 'nope' })).rejects.toThrow(/Unauthorized/);
    const client = await connect(app, { token: TOKEN });
    expect(await client.emitWithAck('subscribe-cluster')).toBe(true);
    client.close();
  });
});
