import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscardSink, StreamExecutionEnvironment } from '@eddy/runtime';
import { EngineService } from '../src/engine/engine.service.js';
import type {
  CheckpointCompletedEvent,
  ExecutionStateCountsMessage,
  JobStatusEvent,
} from '../src/events/events.types.js';
import { connect } from './support/events-client.js';
import type { Client } from './support/events-client.js';
import type { TestApp, TestDatabase } from './support/test-app.js';
import {
  BACKENDS,
  createTestDatabase,
  smallWordCount,
  startTestApp,
  submit,
  waitForStatus,
} from './support/test-app.js';

function newJobId(): string {
  return randomBytes(16).toString('hex');
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Condition not met in time.');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(BACKENDS)('live events on %s', (kind) => {
  let database: TestDatabase;
  let app: TestApp;
  const clients: Client[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await startTestApp(database.settings);
  });

  afterAll(async () => {
    for (const client of clients) client.close();
    await app.close();
    await database.drop();
  });

  it("sends a subscribed job's status changes in order, and its execution state counts", async () => {
    const watcher = await connect(app);
    const bystander = await connect(app);
    clients.push(watcher, bystander);
    const jobId = newJobId();
    const otherJobId = newJobId();

    expect(await watcher.emitWithAck('subscribe', { jobId })).toBe(true);
    expect(await bystander.emitWithAck('subscribe', { jobId: otherJobId })).toBe(true);
    expect(await watcher.emitWithAck('subscribe', { jobId: 'not-a-job-id' })).toBe(false);

    const statuses: JobStatusEvent[] = [];
    const counts: ExecutionStateCountsMessage[] = [];
    const strays: unknown[] = [];
    watcher.on('job-status', (event) => statuses.push(event));
    watcher.on('execution-state-counts', (event) => counts.push(event));
    bystander.on('job-status', (event) => strays.push(event));
    bystander.on('execution-state-counts', (event) => strays.push(event));

    const graph = { ...(await smallWordCount(50)), jid: jobId };
    expect(await submit(app, graph)).toBe(jobId);
    await waitForStatus(app, jobId, 'FINISHED');
    await until(() => statuses.some((event) => event.status === 'FINISHED'));
    await until(() => counts.some((event) => event.counts.FINISHED === 7));

    expect(statuses.map((event) => event.status)).toEqual(['INITIALIZING', 'CREATED', 'RUNNING', 'FINISHED']);
    for (const event of statuses) {
      expect(event.jobId).toBe(jobId);
      expect(event.timestamp).toBeGreaterThan(0);
    }
    const timestamps = statuses.map((event) => event.timestamp);
    expect([...timestamps].sort((a, b) => a - b)).toEqual(timestamps);

    const last = counts.at(-1);
    expect(last?.jobId).toBe(jobId);
    expect(last?.counts).toMatchObject({ FINISHED: 7, RUNNING: 0, FAILED: 0 });
    expect(last?.vertices.length).toBeGreaterThan(0);
    expect(last?.vertices.reduce((sum, vertex) => sum + vertex.counts.FINISHED, 0)).toBe(7);

    // Nothing of that job reached a client in another job's room.
    expect(strays).toEqual([]);
  });

  it('sends every job to the cluster room, and nothing to unsubscribed clients', async () => {
    const cluster = await connect(app);
    const idle = await connect(app);
    clients.push(cluster, idle);
    expect(await cluster.emitWithAck('subscribe-cluster')).toBe(true);
    const seen: JobStatusEvent[] = [];
    const unseen: unknown[] = [];
    cluster.on('job-status', (event) => seen.push(event));
    idle.on('job-status', (event) => unseen.push(event));
    idle.on('execution-state-counts', (event) => unseen.push(event));

    const jobId = await submit(app, await smallWordCount(20));
    await waitForStatus(app, jobId, 'FINISHED');
    await until(() => seen.some((event) => event.jobId === jobId && event.status === 'FINISHED'));
    expect(seen.filter((event) => event.jobId === jobId).map((event) => event.status)).toEqual([
      'INITIALIZING',
      'CREATED',
      'RUNNING',
      'FINISHED',
    ]);
    expect(unseen).toEqual([]);
  });

  it('sends checkpoint-completed and running counts of a checkpointed streaming job', async () => {
    const client = await connect(app);
    clients.push(client);
    const env = StreamExecutionEnvironment.create({ parallelism: 1 });
    env.enableCheckpointing(3_600_000);
    env
      .fromGenerator({ generate: (i) => i, recordsPerSecond: 1000 })
      .uid('numbers')
      .sinkTo(new DiscardSink<number>());
    const jobGraph = env.getJobGraph('Checkpointed numbers');
    const jobId = String(jobGraph.getJobID());
    expect(await client.emitWithAck('subscribe', { jobId })).toBe(true);
    const completed: CheckpointCompletedEvent[] = [];
    const counts: ExecutionStateCountsMessage[] = [];
    client.on('checkpoint-completed', (event) => completed.push(event));
    client.on('execution-state-counts', (event) => counts.push(event));

    const engine = app.app.get(EngineService);
    await engine.cluster.submitJob(jobGraph);
    await waitForStatus(app, jobId, 'RUNNING');
    await until(() => counts.some((event) => event.counts.RUNNING > 0));

    let checkpointId: number | undefined;
    for (let attempt = 0; attempt < 50 && checkpointId === undefined; attempt++) {
      checkpointId = await engine.dispatcher.triggerCheckpoint(jobGraph.getJobID()).catch(() => undefined);
      if (checkpointId === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(checkpointId).toBeDefined();
    await until(() => completed.some((event) => event.checkpointId === checkpointId));
    expect(completed.find((event) => event.checkpointId === checkpointId)).toMatchObject({
      jobId,
      isSavepoint: false,
    });

    await app.http.patch(`/jobs/${jobId}?mode=cancel`).expect(202);
    await waitForStatus(app, jobId, 'CANCELED');
  });
});
