import { ApiProperty } from '@nestjs/swagger';

/** One option of `GET /jobmanager/config` (Flink's ConfigurationInfoEntry). */
export class ConfigurationInfoEntryDto {
  @ApiProperty({ example: 'taskmanager.numberOfTaskSlots' })
  key!: string;

  @ApiProperty({ example: '4' })
  value!: string;
}
