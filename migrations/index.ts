import type { MigrationInterface } from 'typeorm';
import { Init1764000000000 } from './1764000000000-init.js';

export { Init1764000000000 };

/** Every migration, oldest first: the list the Dispatcher's data source runs on start. */
export const MIGRATIONS: readonly (new () => MigrationInterface)[] = [Init1764000000000];
