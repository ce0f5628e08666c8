import { ApiProperty } from '@nestjs/swagger';

/** `POST /jobs` (Flink's JobSubmitResponseBody). */
export class JobSubmitResponseBodyDto {
  @ApiProperty({ example: '/jobs/3f0a5c1e2b7d4c8a9e6f1b2c3d4e5f60' })
  jobUrl!: string;
}
