import { ApiProperty } from '@nestjs/swagger';

/** Flink's ErrorResponseBody: every failed request answers with this. */
export class ErrorResponseBodyDto {
  @ApiProperty({ type: [String], example: ['Job could not be found.'] })
  errors!: string[];
}
