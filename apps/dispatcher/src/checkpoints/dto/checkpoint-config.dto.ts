import { ApiProperty } from '@nestjs/swagger';

/** Whether checkpoints outlive the job. */
export class ExternalizedCheckpointInfoDto {
  @ApiProperty()
  enabled!: boolean;

  @ApiProperty()
  delete_on_cancellation!: boolean;
}

/** `GET /jobs/:jobid/checkpoints/config` (Flink's CheckpointConfigInfo, as on the wire). */
export class CheckpointConfigInfoDto {
  @ApiProperty({ enum: ['exactly_once', 'at_least_once'], description: 'Lowercase on the wire.' })
  mode!: 'exactly_once' | 'at_least_once';

  @ApiProperty({ description: 'Milliseconds; 9007199254740991 when periodic checkpoints are off.' })
  interval!: number;

  @ApiProperty({ description: 'Milliseconds.' })
  timeout!: number;

  @ApiProperty({ description: 'Milliseconds.' })
  min_pause!: number;

  @ApiProperty()
  max_concurrent!: number;

  @ApiProperty({ type: ExternalizedCheckpointInfoDto })
  externalization!: ExternalizedCheckpointInfoDto;

  @ApiProperty({ example: 'hashmap' })
  state_backend!: string;

  @ApiProperty({ enum: ['JobManagerCheckpointStorage', 'FileSystemCheckpointStorage'] })
  checkpoint_storage!: string;

  @ApiProperty()
  unaligned_checkpoints!: boolean;

  @ApiProperty()
  tolerable_failed_checkpoints!: number;

  @ApiProperty({ description: 'Milliseconds.' })
  aligned_checkpoint_timeout!: number;

  @ApiProperty()
  checkpoints_after_tasks_finish!: boolean;

  @ApiProperty()
  state_changelog_enabled!: boolean;

  @ApiProperty({ description: 'Milliseconds.' })
  changelog_periodic_materialization_interval!: number;

  @ApiProperty()
  changelog_storage!: string;
}
