import { JOB_STATUSES } from '@eddy/runtime';
import type { JobStatus } from '@eddy/runtime';
import { ApiProperty } from '@nestjs/swagger';

/** One job of `GET /jobs/overview` (Flink's JobDetails); `tasks` has lowercase ExecutionState keys. */
export class JobDetailsDto {
  @ApiProperty()
  jid!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: JOB_STATUSES })
  state!: JobStatus;

  @ApiProperty({ name: 'start-time', description: 'Epoch ms.' })
  'start-time'!: number;

  @ApiProperty({ name: 'end-time', description: 'Epoch ms; -1 while the job runs.' })
  'end-time'!: number;

  @ApiProperty({ description: 'Milliseconds.' })
  duration!: number;

  @ApiProperty({ name: 'last-modification', description: 'Epoch ms of the latest status change.' })
  'last-modification'!: number;

  @ApiProperty({
    description: '`total` and the number of tasks in each (lowercase) ExecutionState.',
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { total: 4, running: 4, finished: 0 },
  })
  tasks!: Record<string, number>;

  @ApiProperty({ name: 'pending-operators' })
  'pending-operators'!: number;
}

/** `GET /jobs/overview` (Flink's MultipleJobsDetails). */
export class MultipleJobsDetailsDto {
  @ApiProperty({ type: [JobDetailsDto] })
  jobs!: JobDetailsDto[];
}
