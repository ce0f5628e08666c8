import { IllegalArgumentError } from '@eddy/runtime';
import type { ExecutionPlanStore, JobGraphJson, JobID } from '@eddy/runtime';
import type { DataSource, Repository } from 'typeorm';
import { ExecutionPlanEntity } from '../entities/execution-plan.entity.js';

/** The engine's ExecutionPlanStore port on Postgres: submitted job graphs whose job has not ended. */
export class PostgresExecutionPlanStore implements ExecutionPlanStore {
  private readonly plans: Repository<ExecutionPlanEntity>;

  constructor(dataSource: DataSource) {
    this.plans = dataSource.getRepository(ExecutionPlanEntity);
  }

  async putExecutionPlan(jobGraph: JobGraphJson): Promise<void> {
    if (jobGraph.jid === undefined) throw new IllegalArgumentError('A stored job graph needs its job ID.');
    await this.plans.upsert({ jobId: jobGraph.jid, jobName: jobGraph.name, plan: jobGraph }, ['jobId']);
  }

  async removeExecutionPlan(jobId: JobID): Promise<void> {
    await this.plans.delete({ jobId });
  }

  async getJobIds(): Promise<JobID[]> {
    const rows = await this.plans.find({ select: { jobId: true }, order: { submittedAt: 'ASC' } });
    return rows.map((row) => row.jobId as JobID);
  }

  async recoverExecutionPlan(jobId: JobID): Promise<JobGraphJson | undefined> {
    return (await this.plans.findOneBy({ jobId }))?.plan;
  }
}
