import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A failure (Flink's ExceptionInfo); task fields are absent for a global failure. */
export class ExceptionInfoDto {
  @ApiProperty({ example: 'IllegalStateError' })
  exceptionName!: string;

  @ApiProperty()
  stacktrace!: string;

  @ApiProperty({ description: 'Epoch ms.' })
  timestamp!: number;

  @ApiPropertyOptional({ example: 'Tokenize (1/2)' })
  taskName?: string;

  @ApiPropertyOptional({ example: '127.0.0.1:-1' })
  endpoint?: string;

  @ApiPropertyOptional()
  taskManagerId?: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  failureLabels!: Record<string, string>;
}

/** A root failure and the failures its failover caused (Flink's RootExceptionInfo). */
export class RootExceptionInfoDto extends ExceptionInfoDto {
  @ApiProperty({ type: [ExceptionInfoDto] })
  concurrentExceptions!: ExceptionInfoDto[];
}

export class JobExceptionHistoryDto {
  @ApiProperty({ type: [RootExceptionInfoDto], description: 'Newest first.' })
  entries!: RootExceptionInfoDto[];

  @ApiProperty({ description: 'Whether more entries exist than were returned.' })
  truncated!: boolean;
}

/** `GET /jobs/:jobid/exceptions` (Flink's JobExceptionsInfoWithHistory). */
export class JobExceptionsInfoWithHistoryDto {
  @ApiProperty({ type: JobExceptionHistoryDto })
  exceptionHistory!: JobExceptionHistoryDto;
}
