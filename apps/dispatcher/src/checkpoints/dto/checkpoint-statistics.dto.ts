import { ApiProperty } from '@nestjs/swagger';

/** Flink's MinMaxAvgStatistics. */
export class MinMaxAvgStatisticsDto {
  @ApiProperty()
  min!: number;

  @ApiProperty()
  max!: number;

  @ApiProperty({ description: 'Integer average.' })
  avg!: number;
}

/** Flink's StatsSummaryDto: min/max/avg over all values, percentiles over the last 10,000. */
export class StatsSummaryDto extends MinMaxAvgStatisticsDto {
  @ApiProperty()
  p50!: number;

  @ApiProperty()
  p90!: number;

  @ApiProperty()
  p95!: number;

  @ApiProperty()
  p99!: number;

  @ApiProperty()
  p999!: number;
}

/** `counts` of `GET /jobs/:jobid/checkpoints`. */
export class CheckpointingCountsDto {
  @ApiProperty()
  restored!: number;

  @ApiProperty({ description: 'Every triggered checkpoint: in progress, completed or failed.' })
  total!: number;

  @ApiProperty()
  in_progress!: number;

  @ApiProperty()
  completed!: number;

  @ApiProperty()
  failed!: number;
}

/** `summary` of `GET /jobs/:jobid/checkpoints`, over completed checkpoints. */
export class CheckpointingSummaryDto {
  @ApiProperty({ type: StatsSummaryDto })
  checkpointed_size!: StatsSummaryDto;

  @ApiProperty({ type: StatsSummaryDto })
  state_size!: StatsSummaryDto;

  @ApiProperty({ type: StatsSummaryDto })
  end_to_end_duration!: StatsSummaryDto;

  @ApiProperty({ type: StatsSummaryDto, description: 'Deprecated; always 0.' })
  alignment_buffered!: StatsSummaryDto;

  @ApiProperty({ type: StatsSummaryDto })
  processed_data!: StatsSummaryDto;

  @ApiProperty({ type: StatsSummaryDto })
  persisted_data!: StatsSummaryDto;
}

/** Flink's TaskCheckpointStatistics: one job vertex in one checkpoint. */
export class TaskCheckpointStatisticsDto {
  @ApiProperty({ description: 'The checkpoint ID.' })
  id!: number;

  @ApiProperty({ enum: ['IN_PROGRESS', 'COMPLETED', 'FAILED'] })
  status!: string;

  @ApiProperty({ description: 'Epoch ms; -1 while no subtask acknowledged.' })
  latest_ack_timestamp!: number;

  @ApiProperty()
  checkpointed_size!: number;

  @ApiProperty()
  state_size!: number;

  @ApiProperty({ description: 'Milliseconds; -1 while no subtask acknowledged.' })
  end_to_end_duration!: number;

  @ApiProperty()
  alignment_buffered!: number;

  @ApiProperty()
  processed_data!: number;

  @ApiProperty()
  persisted_data!: number;

  @ApiProperty()
  num_subtasks!: number;

  @ApiProperty()
  num_acknowledged_subtasks!: number;
}

/**
 * Flink's CheckpointStatistics with its `className` discriminator: `completed` adds
 * `external_path` and `discarded`, `failed` adds `failure_timestamp` and `failure_message`.
 */
export class CheckpointStatisticsDto {
  @ApiProperty({ enum: ['completed', 'failed', 'in_progress'] })
  className!: 'completed' | 'failed' | 'in_progress';

  @ApiProperty()
  id!: number;

  @ApiProperty({ enum: ['IN_PROGRESS', 'COMPLETED', 'FAILED'] })
  status!: string;

  @ApiProperty()
  is_savepoint!: boolean;

  @ApiProperty({ nullable: true, type: String, enum: ['CANONICAL', 'NATIVE'] })
  savepointFormat!: string | null;

  @ApiProperty()
  trigger_timestamp!: number;

  @ApiProperty({ description: 'Epoch ms; -1 while no subtask acknowledged.' })
  latest_ack_timestamp!: number;

  @ApiProperty()
  checkpointed_size!: number;

  @ApiProperty()
  state_size!: number;

  @ApiProperty()
  end_to_end_duration!: number;

  @ApiProperty()
  alignment_buffered!: number;

  @ApiProperty()
  processed_data!: number;

  @ApiProperty()
  persisted_data!: number;

  @ApiProperty()
  num_subtasks!: number;

  @ApiProperty()
  num_acknowledged_subtasks!: number;

  @ApiProperty({ enum: ['CHECKPOINT', 'UNALIGNED_CHECKPOINT', 'SAVEPOINT', 'SYNC_SAVEPOINT'] })
  checkpoint_type!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/TaskCheckpointStatisticsDto' },
    description: 'By job vertex ID; empty in the history and the latest checkpoints.',
  })
  tasks!: Record<string, TaskCheckpointStatisticsDto>;

  @ApiProperty({ required: false, description: 'Completed only.' })
  external_path?: string;

  @ApiProperty({ required: false, description: 'Completed only.' })
  discarded?: boolean;

  @ApiProperty({ required: false, description: 'Failed only: epoch ms.' })
  failure_timestamp?: number;

  @ApiProperty({ required: false, nullable: true, type: String, description: 'Failed only.' })
  failure_message?: string | null;
}

/** `latest.restored`. */
export class RestoredCheckpointStatisticsDto {
  @ApiProperty()
  id!: number;

  @ApiProperty()
  restore_timestamp!: number;

  @ApiProperty()
  is_savepoint!: boolean;

  @ApiProperty({ nullable: true, type: String })
  external_path!: string | null;
}

/** `latest` of `GET /jobs/:jobid/checkpoints`. */
export class LatestCheckpointsDto {
  @ApiProperty({ type: CheckpointStatisticsDto, nullable: true })
  completed!: CheckpointStatisticsDto | null;

  @ApiProperty({ type: CheckpointStatisticsDto, nullable: true })
  savepoint!: CheckpointStatisticsDto | null;

  @ApiProperty({ type: CheckpointStatisticsDto, nullable: true })
  failed!: CheckpointStatisticsDto | null;

  @ApiProperty({ type: RestoredCheckpointStatisticsDto, nullable: true })
  restored!: RestoredCheckpointStatisticsDto | null;
}

/** `GET /jobs/:jobid/checkpoints` (Flink's CheckpointingStatistics). */
export class CheckpointingStatisticsDto {
  @ApiProperty({ type: CheckpointingCountsDto })
  counts!: CheckpointingCountsDto;

  @ApiProperty({ type: CheckpointingSummaryDto })
  summary!: CheckpointingSummaryDto;

  @ApiProperty({ type: LatestCheckpointsDto })
  latest!: LatestCheckpointsDto;

  @ApiProperty({ type: [CheckpointStatisticsDto], description: 'Newest first.' })
  history!: CheckpointStatisticsDto[];
}
