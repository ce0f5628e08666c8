import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.js';
import type { DatabaseSettings } from '../../src/database/data-source.js';
import type { DispatcherSettings } from '../../src/settings.js';

/** PGlite always; real Postgres too when `DATABASE_URL` is set. */
export const BACKENDS: readonly DatabaseSettings['kind'][] =
  process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== ''
    ? ['pglite', 'postgres']
    : ['pglite'];

/** A database of its own for one test file: a fresh PGlite folder, or a fresh Postgres schema. */
export interface TestDatabase {
  readonly settings: DatabaseSettings;
  drop(): Promise<void>;
}

export async function createTestDatabase(kind: DatabaseSettings['kind']): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const dataDir = await mkdtemp(join(tmpdir(), 'eddy-dispatcher-test-'));
    return {
      settings: { kind: 'pglite', dataDir },
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const url = process.env.DATABASE_URL ?? '';
  const schema = `eddy_test_${randomBytes(6).toString('hex')}`;
  const admin = async (sql: string) => {
    const connection = await new DataSource({ type: 'postgres', url }).initialize();
    try {
      await connection.query(sql);
    } finally {
      await connection.destroy();
    }
  };
  await admin(`CREATE SCHEMA ${schema}`);
  return { settings: { kind: 'postgres', url, schema }, drop: () => admin(`DROP SCHEMA ${schema} CASCADE`) };
}

/** The service on an ephemeral port of 127.0.0.1, with a supertest agent bound to it. */
export interface TestApp {
  readonly app: NestExpressApplication;
  readonly http: ReturnType<typeof request>;
  /** Rows of a table of the service's database. */
  count(table: string): Promise<number>;
  close(): Promise<void>;
}

export async function startTestApp(
  database: DatabaseSettings,
  overrides: Partial<Omit<DispatcherSettings, 'database'>> = {},
): Promise<TestApp> {
  const app = await createApp(
    {
      restAddress: '127.0.0.1',
      restPort: 0,
      database,
      taskManagers: 1,
      slotsPerTaskManager: 4,
      ...overrides,
    },
    { logger: ['error'] },
  );
  await app.listen(0, '127.0.0.1');
  const dataSource = app.get(DataSource);
  return {
    app,
    http: request(app.getHttpServer()),
    count: async (table) => {
      const rows: { n: number }[] = await dataSource.query(`SELECT count(*)::int AS n FROM ${table}`);
      return rows[0]?.n ?? -1;
    },
    close: () => app.close(),
  };
}

/** The WordCount example over a few generated lines: finishes in well under a second. */
export async function smallWordCount(lines = 200): Promise<object> {
  const text = await readFile(new URL('../../../../examples/word-count.json', import.meta.url), 'utf8');
  const graph = JSON.parse(text) as { vertices: { configuration?: Record<string, unknown> }[] };
  const generator = graph.vertices[0]?.configuration;
  if (generator !== undefined) generator['generator.lines'] = lines;
  return graph;
}

/** A streaming job that runs until cancelled: a (practically) endless sequence into a discarding sink. */
export function endlessJob(name = 'Endless sequence'): object {
  return {
    name,
    type: 'STREAMING',
    vertices: [
      {
        name: 'Sequence',
        invokable: 'eddy.sequence-source',
        parallelism: 1,
        configuration: { 'sequence.to': 2_000_000_000 },
      },
      {
        name: 'Discard',
        invokable: 'eddy.discard-sink',
        parallelism: 1,
        inputs: [{ source: 'Sequence', distributionPattern: 'POINTWISE' }],
      },
    ],
  };
}

/** Submits a job graph and returns its ID (expects 202). */
export async function submit(app: TestApp, graph: object): Promise<string> {
  const response = await app.http.post('/jobs').send(graph).expect(202);
  const jobUrl = (response.body as { jobUrl: string }).jobUrl;
  const match = /^\/jobs\/([0-9a-f]{32})$/.exec(jobUrl);
  if (match?.[1] === undefined) throw new Error(`Unexpected jobUrl: ${jobUrl}`);
  return match[1];
}

const TERMINAL = ['FINISHED', 'CANCELED', 'FAILED'];

/**
 * Polls `GET /jobs/:id/status` until it answers `status` (fails after `timeoutMs`). For a terminal
 * status it then waits until the job's records are stored (see `waitForStored`).
 */
export async function waitForStatus(
  app: TestApp,
  jobId: string,
  status: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const response = await app.http.get(`/jobs/${jobId}/status`).expect(200);
    last = (response.body as { status: string }).status;
    if (last === status) {
      if (TERMINAL.includes(status)) await waitForStored(app, jobId, timeoutMs);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Job ${jobId} did not reach ${status} within ${timeoutMs} ms (last: ${last}).`);
}

/** A response body, typed by the test that reads it. */
export function bodyOf<T>(response: { body: unknown }): T {
  return response.body as T;
}

/** The `errors` of Flink's ErrorResponseBody. */
export function errorsOf(response: { body: unknown }): string[] {
  return bodyOf<{ errors: string[] }>(response).errors;
}

/**
 * Waits until an ended job's records are in the database: its archive, its clean result, and no
 * submitted plan any more.
 */
export async function waitForStored(app: TestApp, jobId: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const archived = await app.count(`archived_execution_graphs WHERE job_id = '${jobId}'`);
    const cleanResult = await app.count(`job_results WHERE job_id = '${jobId}' AND clean`);
    const plans = await app.count(`execution_plans WHERE job_id = '${jobId}'`);
    if (archived === 1 && cleanResult === 1 && plans === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `Job ${jobId} was not stored within ${timeoutMs} ms (${archived}/${cleanResult}/${plans}).`,
      );
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
