import { ApiProperty } from '@nestjs/swagger';

/** The execution configuration of a job (Flink's ExecutionConfigInfo). */
export class ExecutionConfigInfoDto {
  @ApiProperty({ name: 'job-parallelism', description: '`parallelism.default` of the job; -1 if unset.' })
  'job-parallelism'!: number;

  @ApiProperty({ name: 'object-reuse-mode' })
  'object-reuse-mode'!: boolean;

  @ApiProperty({ name: 'restart-strategy', example: 'Cluster level default restart strategy' })
  'restart-strategy'!: string;

  @ApiProperty({
    name: 'user-config',
    type: 'object',
    additionalProperties: { type: 'string' },
    description: "The job's configuration.",
  })
  'user-config'!: Record<string, string>;
}

/** `GET /jobs/:jobid/config` (Flink's JobConfigInfo, as its custom serializer writes it). */
export class JobConfigInfoDto {
  @ApiProperty()
  jid!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ name: 'execution-config', type: ExecutionConfigInfoDto })
  'execution-config'!: ExecutionConfigInfoDto;
}
