import { resolve } from 'node:path';
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
  };
}
