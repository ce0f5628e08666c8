import { ApiProperty } from '@nestjs/swagger';

/** Which dashboard features the service supports (Flink's DashboardConfiguration.Features). */
export class DashboardFeaturesDto {
  @ApiProperty({ name: 'web-submit', description: 'Jar upload and run (not in Eddy yet).' })
  'web-submit'!: boolean;

  @ApiProperty({ name: 'web-cancel' })
  'web-cancel'!: boolean;

  @ApiProperty({ name: 'web-rescale' })
  'web-rescale'!: boolean;

  @ApiProperty({ name: 'web-history' })
  'web-history'!: boolean;
}

/** `GET /config` (Flink's DashboardConfiguration). */
export class DashboardConfigurationDto {
  @ApiProperty({ name: 'refresh-interval', description: 'Milliseconds between dashboard refreshes.' })
  'refresh-interval'!: number;

  @ApiProperty({ name: 'timezone-name' })
  'timezone-name'!: string;

  @ApiProperty({ name: 'timezone-offset', description: 'Offset from UTC in milliseconds.' })
  'timezone-offset'!: number;

  @ApiProperty({ name: 'flink-version', description: 'The Flink version whose REST API Eddy speaks.' })
  'flink-version'!: string;

  @ApiProperty({ name: 'flink-revision' })
  'flink-revision'!: string;

  @ApiProperty({ type: DashboardFeaturesDto })
  features!: DashboardFeaturesDto;
}
