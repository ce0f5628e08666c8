import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Whether an asynchronous operation (savepoint, checkpoint, disposal…) is still running. */
export type AsyncOperationStatus = 'IN_PROGRESS' | 'COMPLETED';

/** An asynchronous operation triggered through REST and polled by its trigger ID (Flink's pattern). */
@Entity('async_operations')
export class AsyncOperationEntity {
  @PrimaryColumn({ name: 'trigger_id', type: 'char', length: 32 })
  triggerId!: string;

  @Column({ name: 'job_id', type: 'char', length: 32, nullable: true })
  jobId!: string | null;

  @Column({ name: 'operation_type', type: 'varchar', length: 32 })
  operationType!: string;

  @Column({ type: 'varchar', length: 16 })
  status!: AsyncOperationStatus;

  @Column({ type: 'jsonb', nullable: true })
  operation!: Record<string, unknown> | null;

  @Column({ name: 'failure_cause', type: 'jsonb', nullable: true })
  failureCause!: Record<string, unknown> | null;

  @Column({ name: 'created_at', type: 'timestamptz', insert: false, update: false })
  createdAt!: Date;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;
}
