import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Dispatcher's first tables: submitted job graphs (until their job ends), job results, the
 * archive of every job that ended, and asynchronous operations (savepoints, checkpoints…). Plain SQL
 * that runs on PostgreSQL 15 and on PGlite (PostgreSQL 18): no extensions.
 */
export class Init1764000000000 implements MigrationInterface {
  readonly name = 'Init1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE execution_plans (
        job_id char(32) PRIMARY KEY CHECK (job_id ~ '^[0-9a-f]{32}$'),
        job_name text NOT NULL,
        plan jsonb NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE job_results (
        job_id char(32) PRIMARY KEY CHECK (job_id ~ '^[0-9a-f]{32}$'),
        application_status varchar(16) NOT NULL,
        result jsonb NOT NULL,
        clean boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE archived_execution_graphs (
        job_id char(32) PRIMARY KEY CHECK (job_id ~ '^[0-9a-f]{32}$'),
        job_name text NOT NULL,
        job_type varchar(16) NOT NULL,
        state varchar(16) NOT NULL,
        start_time bigint NOT NULL,
        end_time bigint NOT NULL,
        archive jsonb NOT NULL,
        archived_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await queryRunner.query(
      `CREATE INDEX archived_execution_graphs_archived_at_idx ON archived_execution_graphs (archived_at, job_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE async_operations (
        trigger_id char(32) PRIMARY KEY CHECK (trigger_id ~ '^[0-9a-f]{32}$'),
        job_id char(32),
        operation_type varchar(32) NOT NULL,
        status varchar(16) NOT NULL CHECK (status IN ('IN_PROGRESS', 'COMPLETED')),
        operation jsonb,
        failure_cause jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX async_operations_job_id_idx ON async_operations (job_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE async_operations`);
    await queryRunner.query(`DROP TABLE archived_execution_graphs`);
    await queryRunner.query(`DROP TABLE job_results`);
    await queryRunner.query(`DROP TABLE execution_plans`);
  }
}
