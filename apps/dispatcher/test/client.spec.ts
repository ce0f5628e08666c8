import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EddyApiError, EddyClient, main, type CliIo } from '@eddy/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  endlessJob,
  smallWordCount,
  startTestApp,
  waitForStatus,
  type TestApp,
  type TestDatabase,
} from './support/test-app.js';

/** Runs the CLI in-process; resolves with its exit code and output. */
async function eddy(
  url: string,
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { EDDY_URL: url },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('@eddy/client and the eddy CLI', () => {
  let database: TestDatabase;
  let app: TestApp;
  let url: string;
  let client: EddyClient;
  let dir: string;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    app = await startTestApp(database.settings);
    url = await app.app.getUrl();
    client = new EddyClient({ baseUrl: url });
    dir = await mkdtemp(join(tmpdir(), 'eddy-cli-test-'));
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('submits a job that finishes, and lists it', async () => {
    const jobId = await client.submitJob(await smallWordCount());
    expect(await client.waitForStatus(jobId, ['FINISHED', 'FAILED', 'CANCELED'])).toBe('FINISHED');
    await waitForStatus(app, jobId, 'FINISHED');
    expect((await client.listJobs()).jobs).toContainEqual({ id: jobId, status: 'FINISHED' });
    expect((await client.jobsOverview()).jobs.map((job) => job.jid)).toContain(jobId);
    const details = await client.getJob(jobId);
    expect(details.state).toBe('FINISHED');
    expect(details.vertices.length).toBeGreaterThan(0);
    expect((await client.overview())['jobs-finished']).toBeGreaterThanOrEqual(1);
  });

  it('cancels a running job', async () => {
    const jobId = await client.submitJob(endlessJob());
    await client.waitForStatus(jobId, ['RUNNING']);
    await client.cancelJob(jobId);
    expect(await client.waitForStatus(jobId, ['CANCELED'])).toBe('CANCELED');
    await waitForStatus(app, jobId, 'CANCELED');
  });

  it('surfaces API errors with their status and Flink errors', async () => {
    const unknown = '0123456789abcdef0123456789abcdef';
    const error = await client.getJob(unknown).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EddyApiError);
    expect((error as EddyApiError).status).toBe(404);
    expect((error as EddyApiError).errors.length).toBeGreaterThan(0);
    const invalid = await client.submitJob({ name: 'no vertices' }).catch((caught: unknown) => caught);
    expect(invalid).toBeInstanceOf(EddyApiError);
    expect((invalid as EddyApiError).status).toBe(400);
  });

  it('runs, lists and shows jobs from the CLI', async () => {
    const file = join(dir, 'word-count.json');
    await writeFile(file, JSON.stringify(await smallWordCount()));
    const run = await eddy(url, 'run', file);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const jobId = /JobID ([0-9a-f]{32})/.exec(run.stdout)?.[1] ?? '';
    expect(jobId).toMatch(/^[0-9a-f]{32}$/);
    await waitForStatus(app, jobId, 'FINISHED');

    const list = await eddy(url, 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`${jobId}\\s+FINISHED`));

    const info = await eddy(url, 'info', jobId);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain(`Job ${jobId}`);
    expect(info.stdout).toContain('state:      FINISHED');
    const json = await eddy(url, 'info', jobId, '--json');
    expect((JSON.parse(json.stdout) as { jid: string }).jid).toBe(jobId);
  });

  it('reports errors with exit codes', async () => {
    const missing = await eddy(url, 'info', '0123456789abcdef0123456789abcdef');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('404');
    const usage = await eddy(url, 'cancel');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: eddy');
    const unknownOption = await eddy(url, 'list', '--drain');
    expect(unknownOption.code).toBe(2);
    const noFile = await eddy(url, 'run', join(dir, 'missing.json'));
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('cannot read the job graph');
    const unreachable = await eddy('http://127.0.0.1:1', 'list');
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('could not reach the Dispatcher');
  });
});
