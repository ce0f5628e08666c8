import { ArchivedExecutionGraph, JobStatus } from '@eddy/runtime';
import type { ExecutionGraphInfoStore, JobID } from '@eddy/runtime';
import type { DataSource, Repository } from 'typeorm';
import { ArchivedExecutionGraphEntity } from '../entities/archived-execution-graph.entity.js';

/** The engine's ExecutionGraphInfoStore port on Postgres: the archive of every job that ended. */
export class PostgresExecutionGraphInfoStore implements ExecutionGraphInfoStore {
  private readonly archives: Repository<ArchivedExecutionGraphEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.archives = dataSource.getRepository(ArchivedExecutionGraphEntity);
  }

  async put(archived: ArchivedExecutionGraph): Promise<void> {
    const json = archived.toJson();
    // Re-archiving moves the job to the end of the list, as the in-memory store does.
    await this.dataSource.query(
      `INSERT INTO archived_execution_graphs
         (job_id, job_name, job_type, state, start_time, end_time, archive)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
       ON CONFLICT (job_id) DO UPDATE SET
         job_name = EXCLUDED.job_name, job_type = EXCLUDED.job_type, state = EXCLUDED.state,
         start_time = EXCLUDED.start_time, end_time = EXCLUDED.end_time, archive = EXCLUDED.archive,
         archived_at = clock_timestamp()`,
      [
        json.jobId,
        json.jobName,
        json.jobType,
        json.state,
        archived.getStatusTimestamp(JobStatus.INITIALIZING),
        archived.getStatusTimestamp(json.state),
        JSON.stringify(json),
      ],
    );
  }

  async get(jobId: JobID): Promise<ArchivedExecutionGraph | undefined> {
    const row = await this.archives.findOneBy({ jobId });
    return row === null ? undefined : ArchivedExecutionGraph.fromJson(row.archive);
  }

  async list(): Promise<ArchivedExecutionGraph[]> {
    const rows = await this.archives.find({ order: { archivedAt: 'ASC', jobId: 'ASC' } });
    return rows.map((row) => ArchivedExecutionGraph.fromJson(row.archive));
  }
}
