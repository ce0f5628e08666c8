import { describe, expect, it } from 'vitest';
import { createDataSource } from '../src/database/data-source.js';
import { BACKENDS, createTestDatabase } from './support/test-app.js';

const TABLES = ['archived_execution_graphs', 'async_operations', 'execution_plans', 'job_results'];

describe.each(BACKENDS)('migrations on %s', (kind) => {
  it('go up, down and up again', async () => {
    const database = await createTestDatabase(kind);
    const dataSource = createDataSource(database.settings);
    const tables = async (): Promise<string[]> => {
      const rows: { table_name: string }[] = await dataSource.query(
        `SELECT table_name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_name = ANY($1) ORDER BY table_name`,
        [TABLES],
      );
      return rows.map((row) => row.table_name);
    };
    try {
      await dataSource.initialize();
      expect(await dataSource.runMigrations()).toHaveLength(1);
      expect(await tables()).toEqual(TABLES);
      await dataSource.undoLastMigration();
      expect(await tables()).toEqual([]);
      await dataSource.runMigrations();
      expect(await tables()).toEqual(TABLES);
      expect(await dataSource.runMigrations()).toHaveLength(0);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      await database.drop();
    }
  });
});
