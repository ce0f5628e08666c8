import { ApiProperty } from '@nestjs/swagger';

/** `GET /overview` (Flink's ClusterOverviewWithVersion). */
export class ClusterOverviewDto {
  @ApiProperty()
  taskmanagers!: number;

  @ApiProperty({ name: 'slots-total' })
  'slots-total'!: number;

  @ApiProperty({ name: 'slots-available' })
  'slots-available'!: number;

  @ApiProperty({ name: 'slots-free-and-blocked' })
  'slots-free-and-blocked'!: number;

  @ApiProperty({ name: 'taskmanagers-blocked' })
  'taskmanagers-blocked'!: number;

  @ApiProperty({ name: 'jobs-running', description: 'Jobs not yet globally terminal.' })
  'jobs-running'!: number;

  @ApiProperty({ name: 'jobs-finished' })
  'jobs-finished'!: number;

  @ApiProperty({ name: 'jobs-cancelled' })
  'jobs-cancelled'!: number;

  @ApiProperty({ name: 'jobs-failed' })
  'jobs-failed'!: number;

  @ApiProperty({ name: 'flink-version' })
  'flink-version'!: string;

  @ApiProperty({ name: 'flink-commit' })
  'flink-commit'!: string;
}
