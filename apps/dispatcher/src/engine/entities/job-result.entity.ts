import type { JobResultJson } from '@eddy/runtime';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** How a globally terminal job ended; dirty until its resources are cleaned up (FLIP-194). */
@Entity('job_results')
export class JobResultEntity {
  @PrimaryColumn({ name: 'job_id', type: 'char', length: 32 })
  jobId!: string;

  @Column({ name: 'application_status', type: 'varchar', length: 16 })
  applicationStatus!: string;

  @Column({ type: 'jsonb' })
  result!: JobResultJson;

  @Column({ type: 'boolean' })
  clean!: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;
}
