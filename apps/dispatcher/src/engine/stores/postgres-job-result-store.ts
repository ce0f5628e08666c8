import { IllegalStateError } from '@eddy/runtime';
import type { JobID, JobResultEntry, JobResultJson, JobResultStore } from '@eddy/runtime';
import type { DataSource, Repository } from 'typeorm';
import { JobResultEntity } from '../entities/job-result.entity.js';

/** The engine's JobResultStore port on Postgres: one row per globally terminal job. */
export class PostgresJobResultStore implements JobResultStore {
  private readonly results: Repository<JobResultEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.results = dataSource.getRepository(JobResultEntity);
  }

  async createDirtyResult(jobResult: JobResultJson): Promise<void> {
    const inserted: unknown[] = await this.dataSource.query(
      `INSERT INTO job_results (job_id, application_status, result, clean)
       VALUES ($1, $2, $3::jsonb, false)
       ON CONFLICT (job_id) DO NOTHING
       RETURNING job_id`,
      [jobResult.jobId, jobResult.applicationStatus, JSON.stringify(jobResult)],
    );
    if (inserted.length === 0)
      throw new IllegalStateError(
        `The job result store already contains an entry for job ${jobResult.jobId}.`,
      );
  }

  async markResultAsClean(jobId: JobID): Promise<void> {
    await this.results.update({ jobId }, { clean: true });
  }

  async getJobResultEntry(jobId: JobID): Promise<JobResultEntry | undefined> {
    const row = await this.results.findOneBy({ jobId });
    return row === null ? undefined : { jobResult: row.result, clean: row.clean };
  }

  async getDirtyResults(): Promise<JobResultJson[]> {
    const rows = await this.results.find({ where: { clean: false }, order: { createdAt: 'ASC' } });
    return rows.map((row) => row.result);
  }
}
