import type { ArchivedExecutionGraphJson } from '@eddy/runtime';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { epochMillis } from './bigint-transformer.js';

/**
 * The archive of a job that ended: the whole ArchivedExecutionGraph as JSON, plus the columns a
 * listing needs without reading it.
 */
@Entity('archived_execution_graphs')
export class ArchivedExecutionGraphEntity {
  @PrimaryColumn({ name: 'job_id', type: 'char', length: 32 })
  jobId!: string;

  @Column({ name: 'job_name', type: 'text' })
  jobName!: string;

  @Column({ name: 'job_type', type: 'varchar', length: 16 })
  jobType!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: string;

  /** Epoch ms the job was submitted (INITIALIZING). */
  @Column({ name: 'start_time', type: 'bigint', transformer: epochMillis })
  startTime!: number;

  /** Epoch ms the job reached its terminal state. */
  @Column({ name: 'end_time', type: 'bigint', transformer: epochMillis })
  endTime!: number;

  @Column({ type: 'jsonb' })
  archive!: ArchivedExecutionGraphJson;

  @Column({ name: 'archived_at', type: 'timestamptz', insert: false, update: false })
  archivedAt!: Date;
}
