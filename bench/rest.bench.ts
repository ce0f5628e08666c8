/**
 * The Dispatcher's REST service under load, started in-process from its build
 * (`apps/dispatcher/dist`, `createApp` as `main.ts` and the tests use it) on an ephemeral port of
 * 127.0.0.1 with PGlite in a temporary folder, 1 TaskExecutor with 4 slots.
 *
 * (a) `GET /jobs/overview` with 1,000 stored jobs: 1,000 trivial JSON jobs (`eddy.sequence-source`
 *     with `sequence.to` 1 → `eddy.discard-sink`) are submitted over REST and awaited until each is
 *     FINISHED and archived in the database; then autocannon loads the route with 10 connections
 *     for 5 s → requests per second and p99 latency. Same-run baseline: a bare Node `http` server on
 *     127.0.0.1 answering a static JSON body of the same size, loaded the same way. Targets:
 *     ≥ 2,000 req/s, p99 ≤ 50 ms. Check: every response 200 and no connection errors.
 * (b) submission → FINISHED of the trivial job over REST: `POST /jobs`, then `GET /jobs/:id/status`
 *     every 2 ms until FINISHED; median of 50 after 5 warm-ups. Same-run baseline: the same job
 *     graph submitted to the service's own MiniCluster directly (`submitJob` + `requestJobResult`,
 *     no HTTP), median of 50 after 5 warm-ups. Target: ≤ 150 ms (Flink's warm in-process
 *     submission is about 140 ms).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { jobGraphFromJson } from '@eddy/runtime';
import autocannon from 'autocannon';
import { DataSource } from 'typeorm';

// Types from the sources; code from the build (tsx cannot run Nest's decorators), loaded at run time
// so that linting and typechecking never depend on a build.
import type * as AppModule from '../apps/dispatcher/src/app.js';
import type * as EngineServiceModule from '../apps/dispatcher/src/engine/engine.service.js';
import type { BenchResult } from './harness.js';
import { formatMs, formatRatio, median } from './harness.js';

const STORED_JOBS = 1_000;
/** Jobs submitted at a time while filling the archive (bounded so that slots are not oversubscribed). */
const SUBMIT_BATCH = 8;
const LOAD_CONNECTIONS = 10;
const LOAD_SECONDS = 5;
const TARGET_REQUESTS_PER_SECOND = 2_000;
const TARGET_P99_MS = 50;
const LATENCY_WARMUPS = 5;
const LATENCY_RUNS = 50;
const POLL_MS = 2;
const TARGET_SUBMIT_MS = 150;
/** Upper bound on any wait of this benchmark (jobs finishing, archives stored). */
const WAIT_LIMIT_MS = 120_000;

function trivialJob(name: string): object {
  return {
    name,
    type: 'BATCH',
    vertices: [
      {
        name: 'Sequence',
        invokable: 'eddy.sequence-source',
        parallelism: 1,
        configuration: { 'sequence.to': 1 },
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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function submit(base: string, graph: object): Promise<string> {
  const response = await fetch(`${base}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(graph),
  });
  if (response.status !== 202)
    throw new Error(`POST /jobs answered ${response.status}: ${await response.text()}`);
  const { jobUrl } = (await response.json()) as { jobUrl: string };
  return jobUrl.slice('/jobs/'.length);
}

async function statusOf(base: string, jobId: string): Promise<string> {
  const response = await fetch(`${base}/jobs/${jobId}/status`);
  if (response.status !== 200) throw new Error(`GET /jobs/${jobId}/status answered ${response.status}`);
  return ((await response.json()) as { status: string }).status;
}

/** Polls the job's status every `intervalMs` until FINISHED; throws on another terminal status. */
async function awaitFinished(base: string, jobId: string, intervalMs: number): Promise<void> {
  const deadline = performance.now() + WAIT_LIMIT_MS;
  while (performance.now() < deadline) {
    const status = await statusOf(base, jobId);
    if (status === 'FINISHED') return;
    if (status === 'FAILED' || status === 'CANCELED') throw new Error(`Job ${jobId} ended ${status}.`);
    await sleep(intervalMs);
  }
  throw new Error(`Job ${jobId} did not finish within ${WAIT_LIMIT_MS} ms.`);
}

async function archivedCount(dataSource: DataSource): Promise<number> {
  const rows: { n: number }[] = await dataSource.query(
    `SELECT count(*)::int AS n FROM archived_execution_graphs WHERE state = 'FINISHED'`,
  );
  return rows[0]?.n ?? 0;
}

interface LoadFigures {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly bodyBytes: number;
}

async function load(url: string): Promise<LoadFigures> {
  const result = await autocannon({ url, connections: LOAD_CONNECTIONS, duration: LOAD_SECONDS });
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    bodyBytes: result.requests.total > 0 ? result.throughput.total / result.requests.total : 0,
  };
}

/** A bare Node http server on 127.0.0.1 answering `body` to every request. */
async function staticServer(body: string): Promise<{ url: string; close: () => Promise<void> }> {
  const bytes = Buffer.from(body);
  const server = createServer((_request, response) => {
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': bytes.length,
    });
    response.end(bytes);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jobs/overview`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
  };
}

function loadCheck(figures: LoadFigures): string {
  return figures.non2xx === 0 && figures.errors === 0
    ? 'ok'
    : `${figures.non2xx} non-2xx, ${figures.errors} errors`;
}

const DISPATCHER_DIST = new URL('../apps/dispatcher/dist/', import.meta.url);

export async function runRestBenchmarks(log: (line: string) => void): Promise<BenchResult[]> {
  const { createApp } = (await import(new URL('app.js', DISPATCHER_DIST).href)) as typeof AppModule;
  const { EngineService } = (await import(
    new URL('engine/engine.service.js', DISPATCHER_DIST).href
  )) as typeof EngineServiceModule;
  const dataDir = await mkdtemp(join(tmpdir(), 'eddy-bench-rest-'));
  const app = await createApp(
    {
      restAddress: '127.0.0.1',
      restPort: 0,
      database: { kind: 'pglite', dataDir },
      taskManagers: 1,
      slotsPerTaskManager: 4,
    },
    { logger: ['error'] },
  );
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const dataSource = app.get(DataSource);
    const results: BenchResult[] = [];

    // (a) 1,000 stored jobs, then GET /jobs/overview under load.
    const fillStarted = performance.now();
    for (let first = 0; first < STORED_JOBS; first += SUBMIT_BATCH) {
      const ids = await Promise.all(
        Array.from({ length: Math.min(SUBMIT_BATCH, STORED_JOBS - first) }, (_, i) =>
          submit(base, trivialJob(`Trivial ${first + i}`)),
        ),
      );
      await Promise.all(ids.map((id) => awaitFinished(base, id, 5)));
    }
    const storeDeadline = performance.now() + WAIT_LIMIT_MS;
    let stored = await archivedCount(dataSource);
    while (stored < STORED_JOBS && performance.now() < storeDeadline) {
      await sleep(25);
      stored = await archivedCount(dataSource);
    }
    log(`${stored} jobs FINISHED and archived in ${((performance.now() - fillStarted) / 1000).toFixed(1)} s`);
    const overviewUrl = `${base}/jobs/overview`;
    const sample = await (await fetch(overviewUrl)).text();
    const listed = (JSON.parse(sample) as { jobs: unknown[] }).jobs.length;
    const overview = await load(overviewUrl);
    const baselineServer = await staticServer(sample);
    let bare: LoadFigures;
    try {
      bare = await load(baselineServer.url);
    } finally {
      await baselineServer.close();
    }
    log(
      `GET /jobs/overview (${listed} jobs, ${sample.length} B): ${overview.requestsPerSecond.toFixed(0)} req/s, ` +
        `p99 ${overview.p99Ms} ms; bare http: ${bare.requestsPerSecond.toFixed(0)} req/s, p99 ${bare.p99Ms} ms`,
    );
    const overviewCheck =
      listed === STORED_JOBS && stored === STORED_JOBS
        ? loadCheck(overview)
        : `${listed} listed, ${stored} stored (expected ${STORED_JOBS})`;
    results.push(
      {
        name: `GET /jobs/overview, ${STORED_JOBS} jobs, ${LOAD_CONNECTIONS} conn: throughput`,
        figure: `${overview.requestsPerSecond.toFixed(0)} req/s`,
        baseline: `${bare.requestsPerSecond.toFixed(0)} req/s (bare http, same body, same run)`,
        ratio: formatRatio(overview.requestsPerSecond / bare.requestsPerSecond),
        target: `≥ ${TARGET_REQUESTS_PER_SECOND} req/s`,
        targetMet: overview.requestsPerSecond >= TARGET_REQUESTS_PER_SECOND,
        check: overviewCheck,
      },
      {
        name: `GET /jobs/overview, ${STORED_JOBS} jobs, ${LOAD_CONNECTIONS} conn: p99 latency`,
        figure: formatMs(overview.p99Ms),
        baseline: `${formatMs(bare.p99Ms)} (bare http, same run)`,
        ratio: formatRatio(overview.p99Ms / bare.p99Ms),
        target: `≤ ${TARGET_P99_MS} ms`,
        targetMet: overview.p99Ms <= TARGET_P99_MS,
        check: loadCheck(bare) === 'ok' ? overviewCheck : `baseline: ${loadCheck(bare)}`,
      },
    );

    // (b) submission → FINISHED over REST, next to the same job on the MiniCluster directly.
    const restTimes: number[] = [];
    for (let run = 0; run < LATENCY_WARMUPS + LATENCY_RUNS; run++) {
      const started = performance.now();
      const jobId = await submit(base, trivialJob(`Latency ${run}`));
      await awaitFinished(base, jobId, POLL_MS);
      if (run >= LATENCY_WARMUPS) restTimes.push(performance.now() - started);
    }
    const cluster = app.get(EngineService).cluster;
    const directTimes: number[] = [];
    let directFinished = 0;
    for (let run = 0; run < LATENCY_WARMUPS + LATENCY_RUNS; run++) {
      const started = performance.now();
      const submission = await cluster.submitJob(jobGraphFromJson(trivialJob(`Direct ${run}`)));
      const result = await cluster.requestJobResult(submission.getJobID());
      const elapsed = performance.now() - started;
      if (run >= LATENCY_WARMUPS) {
        directTimes.push(elapsed);
        if (result.getApplicationStatus() === 'SUCCEEDED') directFinished++;
      }
    }
    const restMedian = median(restTimes);
    const directMedian = median(directTimes);
    log(
      `submission → FINISHED: REST median ${formatMs(restMedian)} (poll every ${POLL_MS} ms), ` +
        `MiniCluster directly ${formatMs(directMedian)}`,
    );
    results.push({
      name: `POST /jobs → FINISHED (trivial job, median of ${LATENCY_RUNS})`,
      figure: formatMs(restMedian),
      baseline: `${formatMs(directMedian)} (MiniCluster submitJob + requestJobResult, same run)`,
      ratio: formatRatio(restMedian / directMedian),
      target: `≤ ${TARGET_SUBMIT_MS} ms`,
      targetMet: restMedian <= TARGET_SUBMIT_MS,
      check:
        directFinished === LATENCY_RUNS ? 'ok' : `${directFinished}/${LATENCY_RUNS} direct runs succeeded`,
    });
    return results;
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
