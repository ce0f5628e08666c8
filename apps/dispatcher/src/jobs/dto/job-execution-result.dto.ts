import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** Flink's SerializedThrowable as its serializer writes it. */
export class FailureCauseDto {
  @ApiProperty({ example: 'IllegalStateError' })
  class!: string;

  @ApiProperty({ name: 'stack-trace' })
  'stack-trace'!: string;
}

/** How a job ended (Flink's JobResult, as JobResultSerializer writes it). */
export class JobExecutionResultDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ name: 'application-status', enum: ['SUCCEEDED', 'FAILED', 'CANCELED', 'UNKNOWN'] })
  'application-status'!: string;

  @ApiProperty({
    name: 'accumulator-results',
    type: 'object',
    additionalProperties: true,
    description: 'Merged accumulator values by name.',
  })
  'accumulator-results'!: Record<string, unknown>;

  @ApiProperty({ name: 'net-runtime', description: 'Milliseconds.' })
  'net-runtime'!: number;

  @ApiPropertyOptional({ name: 'failure-cause', type: FailureCauseDto })
  'failure-cause'?: FailureCauseDto;
}

export class QueueStatusDto {
  @ApiProperty({ enum: ['IN_PROGRESS', 'COMPLETED'] })
  id!: string;
}

/** `GET /jobs/:jobid/execution-result` (Flink's JobExecutionResultResponseBody). */
export class JobExecutionResultResponseBodyDto {
  @ApiProperty({ type: QueueStatusDto })
  status!: QueueStatusDto;

  @ApiPropertyOptional({ name: 'job-execution-result', type: JobExecutionResultDto })
  'job-execution-result'?: JobExecutionResultDto;
}
