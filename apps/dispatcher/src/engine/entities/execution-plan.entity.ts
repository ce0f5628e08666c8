import type { JobGraphJson } from '@eddy/runtime';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A submitted job graph, stored before its submission is acknowledged and removed when the job ends. */
@Entity('execution_plans')
export class ExecutionPlanEntity {
  @PrimaryColumn({ name: 'job_id', type: 'char', length: 32 })
  jobId!: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName!: string;

  @Column({ type: 'jsonb' })
  plan!: JobGraphJson;

  @Column({ name: 'submitted_at', type: 'timestamptz', insert: false, update: false })
  submittedAt!: Date;
}
