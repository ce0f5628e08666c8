import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_MAX_BODY_BYTES } from './common/security.js';
import type { DatabaseSettings } from './database/data-source.js';

/** How the Dispatcher service runs, validated once at the edge (`compileSettings`). */
export interface DispatcherSettings {
  /** Address the REST server binds. Default `127.0.0.1` (`EDDY_REST_ADDRESS`). */
  readonly restAddress: string;
  /** REST port; 0 picks a free one. Default 8081 (`EDDY_REST_PORT`). */
  readonly restPort: number;
  /** `DATABASE_URL` → Postgres; else PGlite in `EDDY_DATA_DIR` (default `.eddy/data`). */
  readonly database: DatabaseSettings;
  /** TaskExecutors of the in-process MiniCluster. Default 1 (`EDDY_TASK_MANAGERS`). */
  readonly taskManagers: number;
  /** Slots of each TaskExecutor. Default 4 (`EDDY_SLOTS_PER_TASK_MANAGER`). */
  readonly slotsPerTaskManager: number;
  /**
   * Bearer token that mutating routes (POST/PATCH/PUT/DELETE) and socket.io connections need;
   * unset or empty: no authentication (`EDDY_AUTH_TOKEN`).
   */
  readonly authToken?: string | undefined;
  /** Largest accepted request body in bytes; larger ones get 413. Default 10 MiB (`EDDY_MAX_BODY_BYTES`). */
  readonly maxBodyBytes?: number;
  /**
   * Absolute directories REST may write savepoints into and dispose them from
   * (`EDDY_SAVEPOINT_ROOTS`, comma-separated); a target outside them is refused with 400.
   * Default: the data dir (`EDDY_DATA_DIR`, default `.eddy/data`).
   */
  readonly savepointRoots?: readonly string[] | undefined;
}

/** A setting has a value the service cannot run with. */
export class InvalidSettingError extends Error {
  override readonly name = 'InvalidSettingError';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`);
  }
}

function integer(env: NodeJS.ProcessEnv, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new InvalidSettingError(key, `expected an integer in [${min}, ${max}], got '${raw}'.`);
  return value;
}

/** Comma-separated absolute paths; undefined when unset or blank. */
function absolutePaths(env: NodeJS.ProcessEnv, key: string): string[] | undefined {
  const raw = env[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  const paths = raw
    .split(',')
    .map((path) => path.trim())
    .filter((path) => path !== '');
  for (const path of paths)
    if (!isAbsolute(path)) throw new InvalidSettingError(key, `expected absolute paths, got '${path}'.`);
  return paths.map((path) => resolve(path));
}

/** Reads and checks the service's settings from environment variables (defaults documented above). */
export function compileSettings(env: NodeJS.ProcessEnv = process.env): DispatcherSettings {
  const url = env.DATABASE_URL;
  const database: DatabaseSettings =
    url !== undefined && url.trim() !== ''
      ? { kind: 'postgres', url }
      : { kind: 'pglite', dataDir: resolve(env.EDDY_DATA_DIR ?? '.eddy/data') };
  return {
    restAddress: env.EDDY_REST_ADDRESS ?? '127.0.0.1',
    restPort: integer(env, 'EDDY_REST_PORT', 8081, 0, 65535),
    database,
    taskManagers: integer(env, 'EDDY_TASK_MANAGERS', 1, 0, 1024),
    slotsPerTaskManager: integer(env, 'EDDY_SLOTS_PER_TASK_MANAGER', 4, 1, 1024),
    authToken:
      env.EDDY_AUTH_TOKEN !== undefined && env.EDDY_AUTH_TOKEN !== '' ? env.EDDY_AUTH_TOKEN : undefined,
    maxBodyBytes: integer(env, 'EDDY_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, 1, 2 ** 31 - 1),
    savepointRoots: absolutePaths(env, 'EDDY_SAVEPOINT_ROOTS'),
  };
}
