import type { components, paths } from './generated/openapi.js';

/** The Dispatcher's OpenAPI schemas (generated from `apps/dispatcher/openapi.json`). */
export type Schemas = components['schemas'];

type Method = 'get' | 'post' | 'patch';
type JsonOf<T> = T extends { content: { 'application/json': infer B } } ? B : never;

/** The JSON body a route takes (from the generated OpenAPI types). */
export type RequestBodyOf<P extends keyof paths, M extends Method> = paths[P][M] extends {
  requestBody?: infer B;
}
  ? JsonOf<NonNullable<B>>
  : never;

/** The JSON a route answers with the given status (from the generated OpenAPI types). */
export type ResponseOf<P extends keyof paths, M extends Method, S extends number> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends Record<S, infer Ok>
    ? JsonOf<Ok>
    : never
  : never;

/** Eddy's JSON job graph, as `POST /jobs` takes it (`JobGraphJson` of `@eddy/runtime`). */
export type JobGraphJson = RequestBodyOf<'/jobs', 'post'> & {
  savepointRestore?: {
    path: string;
    allowNonRestoredState?: boolean;
    claimMode?: 'CLAIM' | 'NO_CLAIM';
  } | null;
  checkpointing?: Record<string, unknown> | null;
};
export type SavepointRequest = NonNullable<RequestBodyOf<'/jobs/{jobid}/savepoints', 'post'>>;
export type StopRequest = NonNullable<RequestBodyOf<'/jobs/{jobid}/stop', 'post'>>;
export type CheckpointRequest = NonNullable<RequestBodyOf<'/jobs/{jobid}/checkpoints', 'post'>>;
export type JobStatus = Schemas['JobStatusInfoDto']['status'];

/** A non-2xx answer of the Dispatcher: its HTTP status and Flink's `errors` (`ErrorResponseBody`). */
export class EddyApiError extends Error {
  override readonly name = 'EddyApiError';
  constructor(
    readonly status: number,
    readonly errors: readonly string[],
    readonly method: string,
    readonly path: string,
  ) {
    super(`${method} ${path} failed with ${status}: ${errors.length > 0 ? errors.join('; ') : 'no details'}`);
  }
}

export interface EddyClientOptions {
  /** The Dispatcher, e.g. `http://127.0.0.1:8081`. */
  readonly baseUrl: string;
  /** Bearer token (the service's `EDDY_AUTH_TOKEN`); sent with every request. */
  readonly token?: string | undefined;
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
}

export interface PollOptions {
  /** Give up after this many milliseconds (default 60 000). */
  readonly timeoutMs?: number;
  /** Between polls (default 100). */
  readonly intervalMs?: number;
}

/** A typed client of the Dispatcher's REST API (Flink's v1 routes). */
export class EddyClient {
  private readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly fetchImpl: typeof fetch;

  constructor(options: EddyClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token === '' ? undefined : options.token;
    this.fetchImpl = options.fetch ?? fetch;
  }

  overview(): Promise<Schemas['ClusterOverviewDto']> {
    return this.request('GET', '/overview');
  }

  listJobs(): Promise<Schemas['JobIdsWithStatusOverviewDto']> {
    return this.request('GET', '/jobs');
  }

  jobsOverview(): Promise<Schemas['MultipleJobsDetailsDto']> {
    return this.request('GET', '/jobs/overview');
  }

  /** Submits a job graph; resolves with the new job's ID once the service stored it. */
  async submitJob(jobGraph: JobGraphJson | object): Promise<string> {
    const response: Schemas['JobSubmitResponseBodyDto'] = await this.request('POST', '/jobs', jobGraph);
    const jobId = /\/jobs\/([0-9a-f]{32})$/.exec(response.jobUrl)?.[1];
    if (jobId === undefined) throw new Error(`Unexpected jobUrl in the submit response: ${response.jobUrl}`);
    return jobId;
  }

  getJob(jobId: string): Promise<Schemas['JobDetailsInfoDto']> {
    return this.request('GET', `/jobs/${segment(jobId)}`);
  }

  async cancelJob(jobId: string): Promise<void> {
    await this.request('PATCH', `/jobs/${segment(jobId)}?mode=cancel`);
  }

  async jobStatus(jobId: string): Promise<JobStatus> {
    const info: Schemas['JobStatusInfoDto'] = await this.request('GET', `/jobs/${segment(jobId)}/status`);
    return info.status;
  }

  /** Polls the job's status until it is one of `statuses`; resolves with it. */
  async waitForStatus(
    jobId: string,
    statuses: readonly JobStatus[],
    options: PollOptions = {},
  ): Promise<JobStatus> {
    return poll(`job ${jobId} to reach ${statuses.join('/')}`, options, async () => {
      const status = await this.jobStatus(jobId);
      return statuses.includes(status) ? status : undefined;
    });
  }

  checkpoints(jobId: string): Promise<Schemas['CheckpointingStatisticsDto']> {
    return this.request('GET', `/jobs/${segment(jobId)}/checkpoints`);
  }

  /** Triggers a checkpoint; resolves with the trigger ID to poll (`checkpointStatus`). */
  async triggerCheckpoint(jobId: string, body: CheckpointRequest = {}): Promise<string> {
    return requestId(await this.request('POST', `/jobs/${segment(jobId)}/checkpoints`, body));
  }

  checkpointStatus(jobId: string, triggerId: string): Promise<Schemas['CheckpointStatusDto']> {
    return this.request('GET', `/jobs/${segment(jobId)}/checkpoints/${segment(triggerId)}`);
  }

  /** Polls a triggered checkpoint until it completed (successfully or not). */
  pollCheckpoint(
    jobId: string,
    triggerId: string,
    options: PollOptions = {},
  ): Promise<Schemas['CheckpointStatusDto']> {
    return poll(`checkpoint ${triggerId}`, options, async () => {
      const status = await this.checkpointStatus(jobId, triggerId);
      return status.status.id === 'COMPLETED' ? status : undefined;
    });
  }

  /** Triggers a savepoint; resolves with the trigger ID to poll (`savepointStatus`). */
  async triggerSavepoint(jobId: string, body: SavepointRequest = {}): Promise<string> {
    return requestId(await this.request('POST', `/jobs/${segment(jobId)}/savepoints`, body));
  }

  /** Stops the job with a savepoint; resolves with the trigger ID to poll (`savepointStatus`). */
  async stopWithSavepoint(jobId: string, body: StopRequest = {}): Promise<string> {
    return requestId(await this.request('POST', `/jobs/${segment(jobId)}/stop`, body));
  }

  savepointStatus(jobId: string, triggerId: string): Promise<Schemas['SavepointStatusDto']> {
    return this.request('GET', `/jobs/${segment(jobId)}/savepoints/${segment(triggerId)}`);
  }

  /** Polls a savepoint (or stop-with-savepoint) until it completed (successfully or not). */
  pollSavepoint(
    jobId: string,
    triggerId: string,
    options: PollOptions = {},
  ): Promise<Schemas['SavepointStatusDto']> {
    return poll(`savepoint ${triggerId}`, options, async () => {
      const status = await this.savepointStatus(jobId, triggerId);
      return status.status.id === 'COMPLETED' ? status : undefined;
    });
  }

  /** Deletes a savepoint; resolves with the trigger ID to poll (`disposalStatus`). */
  async disposeSavepoint(savepointPath: string): Promise<string> {
    return requestId(await this.request('POST', '/savepoint-disposal', { 'savepoint-path': savepointPath }));
  }

  disposalStatus(triggerId: string): Promise<Schemas['AsynchronousOperationStatusDto']> {
    return this.request('GET', `/savepoint-disposal/${segment(triggerId)}`);
  }

  pollDisposal(
    triggerId: string,
    options: PollOptions = {},
  ): Promise<Schemas['AsynchronousOperationStatusDto']> {
    return poll(`savepoint disposal ${triggerId}`, options, async () => {
      const status = await this.disposalStatus(triggerId);
      return status.status.id === 'COMPLETED' ? status : undefined;
    });
  }

  private async request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    const init: RequestInit = { method, headers };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await this.fetchImpl(`${this.baseUrl}${path}`, init);
    const text = await response.text();
    let json: unknown = undefined;
    if (text !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!response.ok)
      throw new EddyApiError(response.status, errorsOf(json, text, response.statusText), method, path);
    return json as T;
  }
}

function segment(value: string): string {
  return encodeURIComponent(value);
}

function requestId(response: Schemas['TriggerResponseDto']): string {
  return response['request-id'];
}

function errorsOf(json: unknown, text: string, statusText: string): string[] {
  if (typeof json === 'object' && json !== null && 'errors' in json && Array.isArray(json.errors))
    return json.errors.map(String);
  if (text !== '') return [text.slice(0, 500)];
  return statusText !== '' ? [statusText] : [];
}

async function poll<T>(
  what: string,
  options: PollOptions,
  attempt: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  const interval = options.intervalMs ?? 100;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    if (Date.now() >= deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
