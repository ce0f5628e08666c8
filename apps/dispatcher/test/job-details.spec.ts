import { AbstractInvokable, defaultInvokableRegistry } from '@eddy/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestDatabase } from './support/test-app.js';
import {
  BACKENDS,
  bodyOf,
  createTestDatabase,
  endlessJob,
  errorsOf,
  smallWordCount,
  startTestApp,
  submit,
  waitForStatus,
} from './support/test-app.js';

/** Fails every attempt at once: with restarts off, its job ends FAILED with one root exception. */
class AlwaysFails extends AbstractInvokable {
  static readonly invokableName = 'test.dispatcher-always-fails';
  invoke(): Promise<void> {
    return Promise.reject(new Error('Injected failure for the exception history'));
  }
}
defaultInvokableRegistry.registerClass(AlwaysFails);

function failingJob(): object {
  return {
    name: 'Always fails',
    type: 'STREAMING',
    configuration: { 'restart-strategy.type': 'none', 'pipeline.object-reuse': 'true' },
    vertices: [{ name: 'Fail', invokable: AlwaysFails.invokableName, parallelism: 1 }],
  };
}

interface PlanNode {
  id: string;
  parallelism: number;
  operator: string;
  operator_strategy: string;
  description: string;
  inputs?: { num: number; id: string; ship_strategy: string; exchange: string }[];
}
interface VertexDetails {
  id: string;
  name: string;
  parallelism: number;
  maxParallelism: number;
  now: number;
  subtasks: {
    subtask: number;
    status: string;
    attempt: number;
    endpoint: string;
    'start-time': number;
    'end-time': number;
    duration: number;
    metrics: Record<string, number | boolean>;
    'taskmanager-id': string;
  }[];
}

describe.each(BACKENDS)('job details on %s', (kind) => {
  let database: TestDatabase;
  let app: TestApp;
  let wordCount: string;
  let nodes: PlanNode[];

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await startTestApp(database.settings);
    wordCount = await submit(app, await smallWordCount(20));
    await waitForStatus(app, wordCount, 'FINISHED');
    nodes = bodyOf<{ plan: { nodes: PlanNode[] } }>(await app.http.get(`/jobs/${wordCount}/plan`).expect(200))
      .plan.nodes;
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('serves the plan: one node per vertex, inputs as edges', async () => {
    const plan = bodyOf<{ plan: { jid: string; name: string; type: string; nodes: PlanNode[] } }>(
      await app.http.get(`/v1/jobs/${wordCount}/plan`).expect(200),
    ).plan;
    expect(plan).toMatchObject({ jid: wordCount, name: 'WordCount', type: 'STREAMING' });
    expect(plan.nodes.map((n) => [n.description, n.parallelism, n.operator])).toEqual([
      ['Generate text', 2, 'eddy.text-generator-source'],
      ['Tokenize', 2, 'eddy.tokenizer'],
      ['Count words', 2, 'eddy.sum-by-key'],
      ['Collect', 1, 'eddy.collect-sink'],
    ]);
    const [source, tokenize, count] = plan.nodes;
    expect(source?.inputs).toBeUndefined();
    expect(source?.id).toMatch(/^[0-9a-f]{32}$/);
    expect(tokenize?.inputs).toEqual([
      {
        num: 0,
        id: source?.id,
        ship_strategy: expect.any(String) as unknown,
        exchange: expect.any(String) as unknown,
      },
    ]);
    expect(count?.inputs?.[0]?.id).toBe(tokenize?.id);
    expect(count?.inputs?.[0]?.exchange).toMatch(/^[a-z_]+$/);
  });

  it('serves the config with the job configuration as user-config', async () => {
    const config = bodyOf<Record<string, unknown>>(
      await app.http.get(`/jobs/${wordCount}/config`).expect(200),
    );
    expect(config).toEqual({
      jid: wordCount,
      name: 'WordCount',
      'execution-config': {
        'job-parallelism': -1,
        'object-reuse-mode': false,
        'restart-strategy': 'Cluster level default restart strategy',
        'user-config': expect.any(Object) as unknown,
      },
    });
  });

  it('serves an empty exception history, accumulators and the execution result of a finished job', async () => {
    expect((await app.http.get(`/jobs/${wordCount}/exceptions`).expect(200)).body).toEqual({
      exceptionHistory: { entries: [], truncated: false },
    });

    const accumulators = bodyOf<{
      'job-accumulators': unknown[];
      'user-task-accumulators': { name: string; type: string; value: string }[];
      'serialized-user-task-accumulators': Record<string, unknown>;
    }>(await app.http.get(`/v1/jobs/${wordCount}/accumulators`).expect(200));
    expect(accumulators['job-accumulators']).toEqual([]);
    expect(accumulators['serialized-user-task-accumulators']).toEqual({});
    const counts = accumulators['user-task-accumulators'].find((a) => a.name === 'counts');
    expect(counts?.type).toBe('ListAccumulator');
    expect(typeof counts?.value).toBe('string');
    const serialized = bodyOf<{ 'serialized-user-task-accumulators': Record<string, unknown> }>(
      await app.http.get(`/jobs/${wordCount}/accumulators?includeSerializedValue=true`).expect(200),
    );
    expect(serialized['serialized-user-task-accumulators']).toHaveProperty(['counts', 'type'], 'List');

    const result = bodyOf<{
      status: { id: string };
      'job-execution-result': Record<string, unknown>;
    }>(await app.http.get(`/jobs/${wordCount}/execution-result`).expect(200));
    expect(result.status).toEqual({ id: 'COMPLETED' });
    expect(result['job-execution-result']).toMatchObject({
      id: wordCount,
      'application-status': 'SUCCEEDED',
    });
    expect(result['job-execution-result']['net-runtime']).toBeGreaterThanOrEqual(0);
    expect(result['job-execution-result']).toHaveProperty(['accumulator-results', 'counts']);
    expect(result['job-execution-result']).not.toHaveProperty('failure-cause');
  });

  it('serves a vertex with its subtasks, their times and their TaskManagers', async () => {
    const tokenize = nodes[1];
    if (tokenize === undefined) throw new Error('no Tokenize vertex');
    const vertex = bodyOf<VertexDetails>(
      await app.http.get(`/jobs/${wordCount}/vertices/${tokenize.id}`).expect(200),
    );
    expect(vertex).toMatchObject({ id: tokenize.id, name: 'Tokenize', parallelism: 2 });
    expect(vertex.maxParallelism).toBeGreaterThanOrEqual(2);
    expect(vertex.subtasks.map((s) => [s.subtask, s.status, s.attempt])).toEqual([
      [0, 'FINISHED', 0],
      [1, 'FINISHED', 0],
    ]);
    for (const subtask of vertex.subtasks) {
      expect(subtask.endpoint).toMatch(/:-?\d+$/);
      expect(subtask['taskmanager-id']).not.toBe('(unassigned)');
      expect(subtask['end-time']).toBeGreaterThanOrEqual(subtask['start-time']);
      expect(subtask.duration).toBe(subtask['end-time'] - subtask['start-time']);
      expect(subtask.metrics).toMatchObject({
        'read-records-complete': true,
        'write-records-complete': true,
      });
    }
    const read = vertex.subtasks.reduce((sum, s) => sum + Number(s.metrics['read-records']), 0);
    const written = vertex.subtasks.reduce((sum, s) => sum + Number(s.metrics['write-records']), 0);
    expect(read).toBe(20);
    expect(written).toBeGreaterThan(read);

    const times = bodyOf<{
      id: string;
      name: string;
      now: number;
      subtasks: { subtask: number; host: string; duration: number; timestamps: Record<string, number> }[];
    }>(await app.http.get(`/v1/jobs/${wordCount}/vertices/${tokenize.id}/subtasktimes`).expect(200));
    expect(times).toMatchObject({ id: tokenize.id, name: 'Tokenize' });
    expect(times.subtasks).toHaveLength(2);
    for (const subtask of times.subtasks) {
      expect(subtask.timestamps.FINISHED).toBeGreaterThanOrEqual(subtask.timestamps.SCHEDULED ?? 0);
      expect(subtask.timestamps.FAILED).toBe(0);
      expect(subtask.duration).toBe((subtask.timestamps.FINISHED ?? 0) - (subtask.timestamps.SCHEDULED ?? 0));
    }

    const taskManagers = bodyOf<{
      id: string;
      taskmanagers: {
        endpoint: string;
        'taskmanager-id': string;
        status: string;
        'status-counts': Record<string, number>;
        metrics: Record<string, number>;
      }[];
    }>(await app.http.get(`/jobs/${wordCount}/vertices/${tokenize.id}/taskmanagers`).expect(200));
    expect(taskManagers.id).toBe(tokenize.id);
    expect(taskManagers.taskmanagers).toHaveLength(1);
    expect(taskManagers.taskmanagers[0]).toMatchObject({
      status: 'FINISHED',
      metrics: { 'read-records': 20 },
    });
    expect(taskManagers.taskmanagers[0]?.['status-counts'].FINISHED).toBe(2);
  });

  it('lists the failures of a failed job newest first, and its failure cause', async () => {
    const jobId = await submit(app, failingJob());
    await waitForStatus(app, jobId, 'FAILED');
    const history = bodyOf<{
      exceptionHistory: { entries: Record<string, unknown>[]; truncated: boolean };
    }>(await app.http.get(`/jobs/${jobId}/exceptions`).expect(200)).exceptionHistory;
    expect(history.truncated).toBe(false);
    expect(history.entries.length).toBeGreaterThanOrEqual(1);
    expect(history.entries[0]).toMatchObject({
      exceptionName: 'Error',
      failureLabels: {},
      concurrentExceptions: [],
    });
    expect(history.entries[0]?.stacktrace).toContain('Injected failure for the exception history');
    expect(history.entries[0]?.taskName).toContain('Fail');
    expect(history.entries[0]?.taskManagerId).toEqual(expect.any(String));
    const none = bodyOf<{ exceptionHistory: { entries: unknown[]; truncated: boolean } }>(
      await app.http.get(`/jobs/${jobId}/exceptions?maxExceptions=0`).expect(200),
    );
    expect(none.exceptionHistory).toEqual({ entries: [], truncated: true });
    const bad = await app.http.get(`/jobs/${jobId}/exceptions?maxExceptions=many`).expect(400);
    expect(errorsOf(bad)[0]).toContain('maxExceptions');

    const config = bodyOf<{ 'execution-config': Record<string, unknown> }>(
      await app.http.get(`/jobs/${jobId}/config`).expect(200),
    );
    expect(config['execution-config']).toMatchObject({
      'object-reuse-mode': true,
      'restart-strategy': 'Restart deactivated.',
      'user-config': { 'restart-strategy.type': 'none' },
    });

    const result = bodyOf<{ 'job-execution-result': Record<string, unknown> }>(
      await app.http.get(`/jobs/${jobId}/execution-result`).expect(200),
    )['job-execution-result'];
    expect(result['application-status']).toBe('FAILED');
    expect(result).toHaveProperty(['failure-cause', 'class']);
    expect(result).toHaveProperty(['failure-cause', 'stack-trace']);
  });

  it('answers IN_PROGRESS for the result of a running job', async () => {
    const jobId = await submit(app, endlessJob());
    await waitForStatus(app, jobId, 'RUNNING');
    expect((await app.http.get(`/jobs/${jobId}/execution-result`).expect(200)).body).toEqual({
      status: { id: 'IN_PROGRESS' },
    });
    const vertices = bodyOf<{ vertices: { id: string }[] }>(await app.http.get(`/jobs/${jobId}`).expect(200));
    const source = vertices.vertices[0]?.id ?? '';
    const running = bodyOf<VertexDetails>(
      await app.http.get(`/jobs/${jobId}/vertices/${source}`).expect(200),
    );
    expect(running.subtasks[0]?.['end-time']).toBe(-1);
    await app.http.patch(`/jobs/${jobId}?mode=cancel`).expect(202);
    await waitForStatus(app, jobId, 'CANCELED');
    const result = bodyOf<{ status: { id: string }; 'job-execution-result': Record<string, unknown> }>(
      await app.http.get(`/jobs/${jobId}/execution-result`).expect(200),
    );
    expect(result.status.id).toBe('COMPLETED');
    expect(result['job-execution-result']['application-status']).toBe('CANCELED');
  });

  it('answers 404 for unknown jobs and vertices', async () => {
    const unknown = 'c'.repeat(32);
    for (const suffix of [
      'plan',
      'config',
      'exceptions',
      'accumulators',
      'execution-result',
      `vertices/${unknown}`,
    ]) {
      expect((await app.http.get(`/jobs/${unknown}/${suffix}`).expect(404)).body).toEqual({
        errors: ['Job could not be found.'],
      });
    }
    for (const suffix of ['', '/subtasktimes', '/taskmanagers']) {
      const response = await app.http.get(`/v1/jobs/${wordCount}/vertices/${unknown}${suffix}`).expect(404);
      expect(response.body).toEqual({ errors: [`No vertex with ID '${unknown}' exists.`] });
    }
    expect(errorsOf(await app.http.get(`/jobs/${wordCount}/vertices/not-a-vertex`).expect(404))[0]).toContain(
      'not-a-vertex',
    );
  });
});
