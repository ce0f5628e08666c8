import { ApiProperty } from '@nestjs/swagger';

/** An accumulator's value as text (Flink's UserTaskAccumulator). */
export class UserTaskAccumulatorDto {
  @ApiProperty()
  name!: string;

  @ApiProperty({ example: 'LongCounter' })
  type!: string;

  @ApiProperty({ example: '42' })
  value!: string;
}

/** `GET /jobs/:jobid/accumulators` (Flink's JobAccumulatorsInfo). */
export class JobAccumulatorsInfoDto {
  @ApiProperty({ name: 'job-accumulators', type: 'array', items: { type: 'object' } })
  'job-accumulators'!: Record<string, never>[];

  @ApiProperty({ name: 'user-task-accumulators', type: [UserTaskAccumulatorDto] })
  'user-task-accumulators'!: UserTaskAccumulatorDto[];

  @ApiProperty({
    name: 'serialized-user-task-accumulators',
    type: 'object',
    additionalProperties: true,
    description: 'With `includeSerializedValue=true`: each accumulator in its serialized (JSON) form.',
  })
  'serialized-user-task-accumulators'!: Record<string, unknown>;
}
