import { ApiProperty } from '@nestjs/swagger';
import { MinMaxAvgStatisticsDto, TaskCheckpointStatisticsDto } from './checkpoint-statistics.dto.js';

/** Sync and async parts of the checkpoint duration. */
export class CheckpointDurationDto {
  @ApiProperty({ type: MinMaxAvgStatisticsDto })
  sync!: MinMaxAvgStatisticsDto;

  @ApiProperty({ type: MinMaxAvgStatisticsDto })
  async!: MinMaxAvgStatisticsDto;
}

/** Alignment statistics over subtasks. */
export class CheckpointAlignmentDto {
  @ApiProperty({ type: MinMaxAvgStatisticsDto })
  buffered!: MinMaxAvgStatisticsDto;

  @ApiProperty({ type: MinMaxAvgStatisticsDto })
  processed!: MinMaxAvgStatisticsDto;

  @ApiProperty({ type: MinMaxAvgStatisticsDto })
  persisted!: MinMaxAvgStatisticsDto;

  @ApiProperty({ type: MinMaxAvgStatisticsDto })
  duration!: MinMaxAvgStatisticsDto;
}

/** `summary` of the subtask details: min/max/avg over the acknowledged subtasks. */
export class TaskCheckpointSummaryDto {
  @ApiProperty({ type: MinMaxAvgStatisticsDto })
  checkpointed_size!: MinMaxAvgStatisticsDto;

  @ApiProperty({ type: MinMaxAvgStatisticsDto })
  state_size!: MinMaxAvgStatisticsDto;

  @ApiProperty({ type: MinMaxAvgStatisticsDto })
  end_to_end_duration!: MinMaxAvgStatisticsDto;

  @ApiProperty({ type: CheckpointDurationDto })
  checkpoint_duration!: CheckpointDurationDto;

  @ApiProperty({ type: CheckpointAlignmentDto })
  alignment!: CheckpointAlignmentDto;

  @ApiProperty({ type: MinMaxAvgStatisticsDto })
  start_delay!: MinMaxAvgStatisticsDto;
}

/** One subtask's checkpoint durations. */
export class SubtaskCheckpointDurationDto {
  @ApiProperty()
  sync!: number;

  @ApiProperty()
  async!: number;
}

/** One subtask's alignment. */
export class SubtaskAlignmentDto {
  @ApiProperty()
  buffered!: number;

  @ApiProperty()
  processed!: number;

  @ApiProperty()
  persisted!: number;

  @ApiProperty()
  duration!: number;
}

/**
 * Flink's SubtaskCheckpointStatistics: `status` `completed` with the measurements, or
 * `pending_or_failed` with the index only.
 */
export class SubtaskCheckpointStatisticsDto {
  @ApiProperty()
  index!: number;

  @ApiProperty({ enum: ['completed', 'pending_or_failed'] })
  status!: 'completed' | 'pending_or_failed';

  @ApiProperty({ required: false })
  ack_timestamp?: number;

  @ApiProperty({ required: false })
  end_to_end_duration?: number;

  @ApiProperty({ required: false })
  state_size?: number;

  @ApiProperty({ required: false })
  checkpointed_size?: number;

  @ApiProperty({ required: false })
  processed_data?: number;

  @ApiProperty({ required: false })
  persisted_data?: number;

  @ApiProperty({ required: false, type: SubtaskCheckpointDurationDto })
  checkpoint?: SubtaskCheckpointDurationDto;

  @ApiProperty({ required: false, type: SubtaskAlignmentDto })
  alignment?: SubtaskAlignmentDto;

  @ApiProperty({ required: false })
  start_delay?: number;

  @ApiProperty({ required: false })
  unaligned_checkpoint?: boolean;

  @ApiProperty({ required: false })
  aborted?: boolean;
}

/** `GET /jobs/:jobid/checkpoints/details/:checkpointid/subtasks/:vertexid` (TaskCheckpointStatisticsWithSubtaskDetails). */
export class TaskCheckpointStatisticsWithSubtaskDetailsDto extends TaskCheckpointStatisticsDto {
  @ApiProperty({ type: TaskCheckpointSummaryDto })
  summary!: TaskCheckpointSummaryDto;

  @ApiProperty({ type: [SubtaskCheckpointStatisticsDto] })
  subtasks!: SubtaskCheckpointStatisticsDto[];
}
