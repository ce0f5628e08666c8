import { JOB_STATUSES } from '@eddy/runtime';
import type { JobStatus } from '@eddy/runtime';
import { ApiProperty } from '@nestjs/swagger';

/** One line of `GET /jobs` (Flink's JobIdWithStatus). */
export class JobIdWithStatusDto {
  @ApiProperty({ description: 'Job ID: 32 lowercase hexadecimal characters.' })
  id!: string;

  @ApiProperty({ enum: JOB_STATUSES })
  status!: JobStatus;
}

/** `GET /jobs` (Flink's JobIdsWithStatusOverview). */
export class JobIdsWithStatusOverviewDto {
  @ApiProperty({ type: [JobIdWithStatusDto] })
  jobs!: JobIdWithStatusDto[];
}

/** `GET /jobs/:jobid/status` (Flink's JobStatusInfo). */
export class JobStatusInfoDto {
  @ApiProperty({ enum: JOB_STATUSES })
  status!: JobStatus;
}
