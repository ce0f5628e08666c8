import { ApiProperty } from '@nestjs/swagger';

/** Flink's TriggerResponse: the answer to every asynchronous trigger. */
export class TriggerResponseDto {
  @ApiProperty({
    name: 'request-id',
    description: 'Trigger ID to poll: 32 lowercase hexadecimal characters.',
  })
  'request-id'!: string;
}

/** Flink's QueueStatus. */
export class QueueStatusDto {
  @ApiProperty({ enum: ['IN_PROGRESS', 'COMPLETED'] })
  id!: 'IN_PROGRESS' | 'COMPLETED';
}

/** Flink's SerializedThrowable as written on the wire (without the Java-serialized bytes). */
export class SerializedThrowableDto {
  @ApiProperty({ description: 'The error class name.' })
  class!: string;

  @ApiProperty({ name: 'stack-trace', description: 'The error with its stack trace.' })
  'stack-trace'!: string;
}

/** A savepoint operation's outcome: `location` on success, `failure-cause` otherwise. */
export class SavepointInfoDto {
  @ApiProperty({ required: false, description: 'Path of the savepoint.' })
  location?: string;

  @ApiProperty({ name: 'failure-cause', required: false, type: SerializedThrowableDto })
  'failure-cause'?: SerializedThrowableDto;
}

/** `GET /jobs/:jobid/savepoints/:triggerid` (AsynchronousOperationResult of SavepointInfo). */
export class SavepointStatusDto {
  @ApiProperty({ type: QueueStatusDto })
  status!: QueueStatusDto;

  @ApiProperty({ required: false, type: SavepointInfoDto, description: 'Absent while in progress.' })
  operation?: SavepointInfoDto;
}

/** A checkpoint operation's outcome: `checkpointId` on success, `failureCause` otherwise. */
export class CheckpointInfoDto {
  @ApiProperty({ required: false })
  checkpointId?: number;

  @ApiProperty({ required: false, type: SerializedThrowableDto })
  failureCause?: SerializedThrowableDto;
}

/** `GET /jobs/:jobid/checkpoints/:triggerid` (AsynchronousOperationResult of CheckpointInfo). */
export class CheckpointStatusDto {
  @ApiProperty({ type: QueueStatusDto })
  status!: QueueStatusDto;

  @ApiProperty({ required: false, type: CheckpointInfoDto, description: 'Absent while in progress.' })
  operation?: CheckpointInfoDto;
}

/** A generic operation's outcome: `{}` on success, `failure-cause` otherwise. */
export class AsynchronousOperationInfoDto {
  @ApiProperty({ name: 'failure-cause', required: false, type: SerializedThrowableDto })
  'failure-cause'?: SerializedThrowableDto;
}

/** `GET /savepoint-disposal/:triggerid` (AsynchronousOperationResult of AsynchronousOperationInfo). */
export class AsynchronousOperationStatusDto {
  @ApiProperty({ type: QueueStatusDto })
  status!: QueueStatusDto;

  @ApiProperty({
    required: false,
    type: AsynchronousOperationInfoDto,
    description: 'Absent while in progress.',
  })
  operation?: AsynchronousOperationInfoDto;
}
