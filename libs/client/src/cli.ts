import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { EddyApiError, EddyClient, type JobGraphJson } from './client.js';

/** Where the CLI writes, and the environment it reads (`EDDY_URL`, `EDDY_AUTH_TOKEN`). */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Defaults to the global `fetch`. */
  readonly fetch?: typeof fetch;
}

export const DEFAULT_URL = 'http://127.0.0.1:8081';

/** Exit codes: 0 success, 1 the operation failed (API error, unreachable service), 2 bad usage. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export const USAGE = `Usage: eddy <command> [options]

Commands:
  run <job-graph.json> [--savepoint <path>] [--allow-non-restored-state] [--claim-mode CLAIM|NO_CLAIM]
                                   submit a JSON job graph (optionally restoring a savepoint)
  list                             list every job
  info <jobId> [--json]            show a job's details
  cancel <jobId>                   cancel a job
  savepoint <jobId> [dir]          take a savepoint and wait for it
  stop <jobId> [dir] [--drain]     stop a job with a savepoint and wait for it
  checkpoint <jobId>               trigger a checkpoint and wait for it

Options:
  --url <url>       the Dispatcher (env EDDY_URL, default ${DEFAULT_URL})
  --token <token>   bearer token (env EDDY_AUTH_TOKEN)
  --timeout <ms>    how long savepoint/stop/checkpoint wait (default 60000)
  -h, --help        show this help
`;

class UsageError extends Error {}

const COMMAND_OPTIONS: Record<
  string,
  { readonly args: readonly [number, number]; readonly options: string[] }
> = {
  run: { args: [1, 1], options: ['savepoint', 'allow-non-restored-state', 'claim-mode'] },
  list: { args: [0, 0], options: [] },
  info: { args: [1, 1], options: ['json'] },
  cancel: { args: [1, 1], options: [] },
  savepoint: { args: [1, 2], options: ['timeout'] },
  stop: { args: [1, 2], options: ['drain', 'timeout'] },
  checkpoint: { args: [1, 1], options: ['timeout'] },
};
const GLOBAL_OPTIONS = ['url', 'token', 'help'];

/** Runs the `eddy` CLI with `argv` (without node and the script); resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const out = (line: string) => {
    io.stdout(`${line}\n`);
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        url: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        savepoint: { type: 'string', short: 's' },
        'allow-non-restored-state': { type: 'boolean', short: 'n' },
        'claim-mode': { type: 'string' },
        drain: { type: 'boolean', short: 'd' },
        json: { type: 'boolean' },
        timeout: { type: 'string' },
      },
    });
  } catch (error) {
    io.stderr(`eddy: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help === true || command === undefined || command === 'help') {
    (command === undefined && values.help !== true ? io.stderr : io.stdout)(USAGE);
    return command === undefined && values.help !== true ? EXIT_USAGE : EXIT_OK;
  }
  const url = values.url ?? io.env.EDDY_URL ?? DEFAULT_URL;
  const token = values.token ?? io.env.EDDY_AUTH_TOKEN;
  try {
    const spec = COMMAND_OPTIONS[command];
    if (spec === undefined) throw new UsageError(`unknown command '${command}'.`);
    const [min, max] = spec.args;
    if (args.length < min || args.length > max)
      throw new UsageError(
        `'${command}' takes ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}.`,
      );
    for (const option of Object.keys(values))
      if (!GLOBAL_OPTIONS.includes(option) && !spec.options.includes(option))
        throw new UsageError(`'${command}' does not take --${option}.`);
    const timeoutMs = values.timeout === undefined ? 60_000 : Number(values.timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
      throw new UsageError(`--timeout must be a positive integer (ms), got '${values.timeout ?? ''}'.`);
    let baseUrl: string;
    try {
      baseUrl = new URL(url).toString();
    } catch {
      throw new UsageError(`--url is not a URL: '${url}'.`);
    }
    const client = new EddyClient({ baseUrl, token, ...(io.fetch === undefined ? {} : { fetch: io.fetch }) });
    const jobId = args[0] ?? '';
    switch (command) {
      case 'run': {
        const graph = await readJobGraph(jobId);
        const claimMode = values['claim-mode'];
        if (claimMode !== undefined && claimMode !== 'CLAIM' && claimMode !== 'NO_CLAIM')
          throw new UsageError(`--claim-mode must be CLAIM or NO_CLAIM, got '${claimMode}'.`);
        if (values.savepoint !== undefined)
          graph.savepointRestore = {
            path: values.savepoint,
            allowNonRestoredState: values['allow-non-restored-state'] === true,
            claimMode: claimMode ?? 'NO_CLAIM',
          };
        else if (values['allow-non-restored-state'] === true || claimMode !== undefined)
          throw new UsageError('--allow-non-restored-state and --claim-mode need --savepoint.');
        const id = await client.submitJob(graph);
        out(`Job has been submitted with JobID ${id}`);
        return EXIT_OK;
      }
      case 'list': {
        const { jobs } = await client.jobsOverview();
        if (jobs.length === 0) {
          out('No jobs.');
          return EXIT_OK;
        }
        const sorted = [...jobs].sort((a, b) => b['start-time'] - a['start-time']);
        const width = Math.max(...sorted.map((job) => job.state.length));
        for (const job of sorted)
          out(
            `${job.jid}  ${job.state.padEnd(width)}  ${new Date(job['start-time']).toISOString()}  ${job.name}`,
          );
        return EXIT_OK;
      }
      case 'info': {
        const job = await client.getJob(jobId);
        if (values.json === true) {
          out(JSON.stringify(job, null, 2));
          return EXIT_OK;
        }
        out(`Job ${job.jid}: ${job.name}`);
        out(`  state:      ${job.state}`);
        out(`  type:       ${job['job-type']}`);
        out(`  start time: ${new Date(job['start-time']).toISOString()}`);
        out(`  duration:   ${job.duration} ms`);
        out('  vertices:');
        for (const vertex of job.vertices)
          out(
            `    ${vertex.id}  ${vertex.status.padEnd(12)}  parallelism ${vertex.parallelism}  ${vertex.name}`,
          );
        return EXIT_OK;
      }
      case 'cancel':
        await client.cancelJob(jobId);
        out(`Cancelled job ${jobId}.`);
        return EXIT_OK;
      case 'savepoint':
      case 'stop': {
        const directory = args[1];
        const triggerId =
          command === 'savepoint'
            ? await client.triggerSavepoint(
                jobId,
                directory === undefined ? {} : { 'target-directory': directory },
              )
            : await client.stopWithSavepoint(jobId, {
                ...(directory === undefined ? {} : { targetDirectory: directory }),
                ...(values.drain === true ? { drain: true } : {}),
              });
        out(
          `${command === 'stop' ? 'Stopping job' : 'Triggering savepoint for job'} ${jobId} (trigger ${triggerId}).`,
        );
        const status = await client.pollSavepoint(jobId, triggerId, { timeoutMs });
        const failure = status.operation?.['failure-cause'];
        if (failure !== undefined) {
          io.stderr(`eddy: the savepoint failed: ${failureMessage(failure)}\n`);
          return EXIT_FAILURE;
        }
        out(`Savepoint completed. Path: ${status.operation?.location ?? '(unknown)'}`);
        return EXIT_OK;
      }
      case 'checkpoint': {
        const triggerId = await client.triggerCheckpoint(jobId);
        const status = await client.pollCheckpoint(jobId, triggerId, { timeoutMs });
        const failure = status.operation?.failureCause;
        if (failure !== undefined) {
          io.stderr(`eddy: the checkpoint failed: ${failureMessage(failure)}\n`);
          return EXIT_FAILURE;
        }
        out(`Checkpoint ${status.operation?.checkpointId ?? '?'} of job ${jobId} completed.`);
        return EXIT_OK;
      }
      default:
        throw new UsageError(`unknown command '${command}'.`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`eddy: ${error.message}\n\n${USAGE}`);
      return EXIT_USAGE;
    }
    if (error instanceof EddyApiError) {
      io.stderr(
        `eddy: the Dispatcher answered ${error.status}: ${error.errors.join('; ') || 'no details'}\n`,
      );
      return EXIT_FAILURE;
    }
    if (error instanceof TypeError && error.message === 'fetch failed') {
      const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
      io.stderr(`eddy: could not reach the Dispatcher at ${url}${cause}\n`);
      return EXIT_FAILURE;
    }
    io.stderr(`eddy: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}

async function readJobGraph(file: string): Promise<JobGraphJson> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the job graph '${file}': ${(error as Error).message}`);
  }
  let graph: unknown;
  try {
    graph = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the job graph '${file}' is not JSON: ${(error as Error).message}`);
  }
  if (typeof graph !== 'object' || graph === null || Array.isArray(graph))
    throw new UsageError(`the job graph '${file}' must be a JSON object.`);
  return graph as JobGraphJson;
}

function failureMessage(failure: { class: string; 'stack-trace': string }): string {
  return failure['stack-trace'].split('\n')[0] ?? failure.class;
}

function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  };
}
