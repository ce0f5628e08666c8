import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const BACKPRESSURE_LEVELS = ['ok', 'low', 'high'];

/** One subtask of Flink's JobVertexBackPressureInfo. */
export class SubtaskBackPressureInfoDto {
  @ApiProperty()
  subtask!: number;

  @ApiProperty({ name: 'attempt-number' })
  'attempt-number'!: number;

  @ApiProperty({ name: 'backpressure-level', enum: BACKPRESSURE_LEVELS })
  'backpressure-level'!: string;

  @ApiProperty({ description: 'Back-pressured share of the time (0: Eddy measures none).' })
  ratio!: number;

  @ApiProperty({ description: 'Idle share of the time (0: Eddy measures none).' })
  idleRatio!: number;

  @ApiProperty({ description: 'Busy share of the time (0: Eddy measures none).' })
  busyRatio!: number;

  @ApiPropertyOptional({ description: 'Back-pressured share of the time (0: Eddy measures none).' })
  backpressuredRatio?: number;
}

/** Flink's JobVertexBackPressureInfo. */
export class JobVertexBackPressureInfoDto {
  @ApiProperty({ enum: ['ok', 'deprecated'] })
  status!: string;

  @ApiProperty({ name: 'backpressure-level', enum: BACKPRESSURE_LEVELS })
  'backpressure-level'!: string;

  @ApiProperty({ name: 'end-timestamp' })
  'end-timestamp'!: number;

  @ApiProperty({ type: [SubtaskBackPressureInfoDto] })
  subtasks!: SubtaskBackPressureInfoDto[];
}

/** One metric of Flink's MetricCollectionResponseBody: `value` only when asked for with `get`. */
export class MetricDto {
  @ApiProperty()
  id!: string;

  @ApiPropertyOptional({ description: 'The value as a string; absent when the names were listed.' })
  value?: string;
}
