import { EXECUTION_STATES, JOB_STATUSES } from '@eddy/runtime';
import type { ExecutionState, JobStatus, JobType } from '@eddy/runtime';
import { ApiProperty } from '@nestjs/swagger';

const COUNTS = {
  type: 'object',
  additionalProperties: { type: 'integer' },
  description: 'Number of tasks in each (uppercase) ExecutionState.',
} as const;

/** A vertex of `GET /jobs/:jobid` (Flink's JobVertexDetailsInfo, without metrics). */
export class JobVertexDetailsInfoDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  parallelism!: number;

  @ApiProperty()
  maxParallelism!: number;

  @ApiProperty({ enum: EXECUTION_STATES })
  status!: ExecutionState;

  @ApiProperty({ name: 'start-time', description: 'Epoch ms of the first deployment; -1 if none.' })
  'start-time'!: number;

  @ApiProperty({ name: 'end-time', description: 'Epoch ms; -1 until every subtask ended.' })
  'end-time'!: number;

  @ApiProperty({ description: 'Milliseconds; -1 if never deployed.' })
  duration!: number;

  @ApiProperty(COUNTS)
  tasks!: Record<string, number>;
}

/** `GET /jobs/:jobid` (a subset of Flink's JobDetailsInfo: no plan, no metrics yet). */
export class JobDetailsInfoDto {
  @ApiProperty()
  jid!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  isStoppable!: boolean;

  @ApiProperty({ enum: JOB_STATUSES })
  state!: JobStatus;

  @ApiProperty({ name: 'job-type', enum: ['BATCH', 'STREAMING'] })
  'job-type'!: JobType;

  @ApiProperty({ name: 'start-time', description: 'Epoch ms.' })
  'start-time'!: number;

  @ApiProperty({ name: 'end-time', description: 'Epoch ms; -1 while the job runs.' })
  'end-time'!: number;

  @ApiProperty({ description: 'Milliseconds.' })
  duration!: number;

  @ApiProperty({ description: 'The largest maxParallelism of its vertices; -1 without vertices.' })
  maxParallelism!: number;

  @ApiProperty({ description: 'Epoch ms when this answer was made.' })
  now!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Epoch ms the job entered each JobStatus (0: never).',
  })
  timestamps!: Record<string, number>;

  @ApiProperty({ ...COUNTS, name: 'status-counts' })
  'status-counts'!: Record<string, number>;

  @ApiProperty({ type: [JobVertexDetailsInfoDto] })
  vertices!: JobVertexDetailsInfoDto[];
}
