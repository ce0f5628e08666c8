import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** An input of a plan node: the edge from an upstream vertex. */
export class JobPlanInputDto {
  @ApiProperty({ description: 'Index of the input.' })
  num!: number;

  @ApiProperty({ description: 'ID of the upstream vertex.' })
  id!: string;

  @ApiProperty({ example: 'HASH' })
  ship_strategy!: string;

  @ApiProperty({ description: 'Lowercase result partition type.', example: 'pipelined_bounded' })
  exchange!: string;
}

/** A vertex of the job's plan (Flink's JsonPlanGenerator node). */
export class JobPlanNodeDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  parallelism!: number;

  @ApiProperty({ description: "Eddy: the vertex's invokable." })
  operator!: string;

  @ApiProperty()
  operator_strategy!: string;

  @ApiProperty()
  description!: string;

  @ApiPropertyOptional({ type: [JobPlanInputDto], description: 'Absent for source vertices.' })
  inputs?: JobPlanInputDto[];

  @ApiProperty({ type: 'object', additionalProperties: true })
  optimizer_properties!: Record<string, never>;
}

/** The plan of a job. */
export class JobPlanDto {
  @ApiProperty()
  jid!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ['BATCH', 'STREAMING'] })
  type!: string;

  @ApiProperty({ type: [JobPlanNodeDto] })
  nodes!: JobPlanNodeDto[];
}

/** `GET /jobs/:jobid/plan` (Flink's JobPlanInfo). */
export class JobPlanInfoDto {
  @ApiProperty({ type: JobPlanDto })
  plan!: JobPlanDto;
}
