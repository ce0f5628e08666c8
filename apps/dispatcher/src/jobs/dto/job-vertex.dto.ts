import { EXECUTION_STATES } from '@eddy/runtime';
import type { ExecutionState } from '@eddy/runtime';
import { ApiProperty } from '@nestjs/swagger';

/** I/O metrics of a subtask or a group of subtasks (Flink's IOMetricsInfo); Eddy counts no bytes. */
export class IOMetricsInfoDto {
  @ApiProperty({ name: 'read-bytes' })
  'read-bytes'!: number;

  @ApiProperty({ name: 'read-bytes-complete' })
  'read-bytes-complete'!: boolean;

  @ApiProperty({ name: 'write-bytes' })
  'write-bytes'!: number;

  @ApiProperty({ name: 'write-bytes-complete' })
  'write-bytes-complete'!: boolean;

  @ApiProperty({ name: 'read-records' })
  'read-records'!: number;

  @ApiProperty({ name: 'read-records-complete' })
  'read-records-complete'!: boolean;

  @ApiProperty({ name: 'write-records' })
  'write-records'!: number;

  @ApiProperty({ name: 'write-records-complete' })
  'write-records-complete'!: boolean;

  @ApiProperty({ name: 'accumulated-backpressured-time' })
  'accumulated-backpressured-time'!: number;

  @ApiProperty({ name: 'accumulated-idle-time' })
  'accumulated-idle-time'!: number;

  @ApiProperty({ name: 'accumulated-busy-time' })
  'accumulated-busy-time'!: number;
}

/** The current attempt of a subtask (Flink's SubtaskExecutionAttemptDetailsInfo). */
export class SubtaskExecutionAttemptDetailsInfoDto {
  @ApiProperty()
  subtask!: number;

  @ApiProperty({ enum: EXECUTION_STATES })
  status!: ExecutionState;

  @ApiProperty()
  attempt!: number;

  @ApiProperty({ description: '`host:dataPort`, or `(unassigned)`.' })
  endpoint!: string;

  @ApiProperty({ name: 'start-time', description: 'Epoch ms of the deployment; 0 if none.' })
  'start-time'!: number;

  @ApiProperty({ name: 'end-time', description: 'Epoch ms; -1 until the attempt ended.' })
  'end-time'!: number;

  @ApiProperty({ description: 'Milliseconds; -1 if never deployed.' })
  duration!: number;

  @ApiProperty({ type: IOMetricsInfoDto })
  metrics!: IOMetricsInfoDto;

  @ApiProperty({ name: 'taskmanager-id', description: 'ResourceID, or `(unassigned)`.' })
  'taskmanager-id'!: string;
}

/** `GET /jobs/:jobid/vertices/:vertexid` (Flink's JobVertexDetailsInfo). */
export class JobVertexDetailsInfoWithSubtasksDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  parallelism!: number;

  @ApiProperty()
  maxParallelism!: number;

  @ApiProperty({ description: 'Epoch ms when this answer was made.' })
  now!: number;

  @ApiProperty({ type: [SubtaskExecutionAttemptDetailsInfoDto] })
  subtasks!: SubtaskExecutionAttemptDetailsInfoDto[];
}

/** One subtask's state timestamps (Flink's SubtasksTimesInfo.SubtaskTimeInfo). */
export class SubtaskTimeInfoDto {
  @ApiProperty()
  subtask!: number;

  @ApiProperty({ description: '`host:dataPort`, or `(unassigned)` (Flink 1.x name).' })
  host!: string;

  @ApiProperty({ description: '`host:dataPort`, or `(unassigned)`.' })
  endpoint!: string;

  @ApiProperty({ description: 'Milliseconds since SCHEDULED; -1 if never scheduled.' })
  duration!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Epoch ms the attempt entered each ExecutionState (0: never).',
  })
  timestamps!: Record<string, number>;
}

/** `GET /jobs/:jobid/vertices/:vertexid/subtasktimes` (Flink's SubtasksTimesInfo). */
export class SubtasksTimesInfoDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  now!: number;

  @ApiProperty({ type: [SubtaskTimeInfoDto] })
  subtasks!: SubtaskTimeInfoDto[];
}

/** The subtasks of a vertex on one TaskManager (Flink's JobVertexTaskManagersInfo.TaskManagersInfo). */
export class VertexTaskManagerInfoDto {
  @ApiProperty()
  endpoint!: string;

  @ApiProperty({ name: 'taskmanager-id' })
  'taskmanager-id'!: string;

  @ApiProperty({ enum: EXECUTION_STATES })
  status!: ExecutionState;

  @ApiProperty({ name: 'start-time', description: 'Epoch ms of the first deployment; -1 if none.' })
  'start-time'!: number;

  @ApiProperty({ name: 'end-time', description: 'Epoch ms; -1 until every subtask ended.' })
  'end-time'!: number;

  @ApiProperty()
  duration!: number;

  @ApiProperty({ type: IOMetricsInfoDto })
  metrics!: IOMetricsInfoDto;

  @ApiProperty({
    name: 'status-counts',
    type: 'object',
    additionalProperties: { type: 'integer' },
    description: 'Number of subtasks in each (uppercase) ExecutionState.',
  })
  'status-counts'!: Record<string, number>;
}

/** `GET /jobs/:jobid/vertices/:vertexid/taskmanagers` (Flink's JobVertexTaskManagersInfo). */
export class JobVertexTaskManagersInfoDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  now!: number;

  @ApiProperty({ type: [VertexTaskManagerInfoDto] })
  taskmanagers!: VertexTaskManagerInfoDto[];
}
