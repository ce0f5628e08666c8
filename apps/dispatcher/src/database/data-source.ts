import { mkdirSync } from 'node:fs';
import { MIGRATIONS } from '@eddy/migrations';
import { DataSource } from 'typeorm';
import type { DataSourceOptions } from 'typeorm';
import { PGliteDriver } from 'typeorm-pglite';
import { ArchivedExecutionGraphEntity } from '../engine/entities/archived-execution-graph.entity.js';
import { AsyncOperationEntity } from '../engine/entities/async-operation.entity.js';
import { ExecutionPlanEntity } from '../engine/entities/execution-plan.entity.js';
import { JobResultEntity } from '../engine/entities/job-result.entity.js';

/** Every entity of the Dispatcher's database (explicit: no globs). */
export const ENTITIES = [
  ExecutionPlanEntity,
  JobResultEntity,
  ArchivedExecutionGraphEntity,
  AsyncOperationEntity,
];

/** Where the Dispatcher keeps its state. */
export type DatabaseSettings =
  | {
      readonly kind: 'postgres';
      /** `postgres://user@host:port/database`. */
      readonly url: string;
      /** The schema for every table (and the migrations table); default: the server's `search_path`. */
      readonly schema?: string;
    }
  | {
      /** Embedded Postgres (PGlite) in a folder: state survives restarts. */
      readonly kind: 'pglite';
      /** Absolute path of the data folder; created when missing. */
      readonly dataDir: string;
    };

/**
 * The Dispatcher's one DataSource definition, shared by the service and tools: explicit entities,
 * the migrations of `migrations/`, `synchronize` off. Call `initialize()` then `runMigrations()`.
 */
export function createDataSource(settings: DatabaseSettings): DataSource {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: [...MIGRATIONS],
    migrationsTableName: 'eddy_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'] as 'error'[],
  };
  let options: DataSourceOptions;
  if (settings.kind === 'postgres') {
    options = {
      ...common,
      url: settings.url,
      ...(settings.schema !== undefined
        ? { schema: settings.schema, extra: { options: `-c search_path=${settings.schema}` } }
        : {}),
    };
  } else {
    mkdirSync(settings.dataDir, { recursive: true });
    options = {
      ...common,
      driver: new PGliteDriver({ dataDir: settings.dataDir }).driver,
      // PGlite has no uuid-ossp; TypeORM's attempt to install it would crash the process.
      installExtensions: false,
    };
  }
  return new DataSource(options);
}
