import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { JobID } from '@eddy/runtime';
import { ErrorResponseBodyDto } from '../common/dto/error-response-body.dto.js';
import type { ResponseBody } from '../common/dto/response-body.js';
import { ParseJobIdPipe } from '../jobs/job-id.pipe.js';
import { toCheckpointStatus } from '../operations/async-operations.mapper.js';
import { CheckpointStatusDto, TriggerResponseDto } from '../operations/dto/async-operation.dto.js';
import { ParseTriggerIdPipe } from '../operations/trigger-id.js';
import { ParseCheckpointIdPipe } from './checkpoint-id.pipe.js';
import {
  toCheckpointConfigInfo,
  toCheckpointStatistics,
  toCheckpointingStatistics,
  toTaskCheckpointDetails,
} from './checkpoints.mapper.js';
import { CheckpointsService } from './checkpoints.service.js';
import { CheckpointConfigInfoDto } from './dto/checkpoint-config.dto.js';
import {
  CheckpointStatisticsDto,
  CheckpointingStatisticsDto,
  TaskCheckpointStatisticsDto,
} from './dto/checkpoint-statistics.dto.js';
import { TaskCheckpointStatisticsWithSubtaskDetailsDto } from './dto/task-checkpoint-details.dto.js';

/** Flink's checkpoint routes of a job (v1), each also under `/v1`. */
@ApiTags('checkpoints')
@ApiExtraModels(TaskCheckpointStatisticsDto)
@Controller(['jobs', 'v1/jobs'])
export class CheckpointsController {
  constructor(private readonly checkpoints: CheckpointsService) {}

  @Get(':jobid/checkpoints')
  @ApiOperation({ summary: 'Checkpoint statistics: counts, summary, latest, history.' })
  @ApiOkResponse({ type: CheckpointingStatisticsDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto, description: 'Unknown job or checkpointing off.' })
  async statistics(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
  ): Promise<ResponseBody<CheckpointingStatisticsDto>> {
    return toCheckpointingStatistics(await this.checkpoints.statistics(jobId));
  }

  @Post(':jobid/checkpoints')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Triggers a checkpoint; poll GET /jobs/:jobid/checkpoints/:triggerid.' })
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: {
        checkpointType: { type: 'string', enum: ['CONFIGURED', 'FULL', 'INCREMENTAL'] },
        triggerId: { type: 'string', description: '32 hexadecimal characters; idempotency key.' },
      },
    },
  })
  @ApiResponse({ status: 202, type: TriggerResponseDto })
  @ApiResponse({ status: 400, type: ErrorResponseBodyDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async trigger(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Body() body: unknown,
  ): Promise<ResponseBody<TriggerResponseDto>> {
    return { 'request-id': await this.checkpoints.trigger(jobId, body) };
  }

  @Get(':jobid/checkpoints/config')
  @ApiOperation({ summary: 'The checkpointing configuration of a job.' })
  @ApiOkResponse({ type: CheckpointConfigInfoDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async config(@Param('jobid', ParseJobIdPipe) jobId: JobID): Promise<ResponseBody<CheckpointConfigInfoDto>> {
    const { config, checkpointStorage } = await this.checkpoints.configuration(jobId);
    return toCheckpointConfigInfo(config, checkpointStorage);
  }

  @Get(':jobid/checkpoints/details/:checkpointid')
  @ApiOperation({ summary: 'One checkpoint with its per-task statistics.' })
  @ApiOkResponse({ type: CheckpointStatisticsDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async details(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Param('checkpointid', ParseCheckpointIdPipe) checkpointId: number,
  ): Promise<ResponseBody<CheckpointStatisticsDto>> {
    return toCheckpointStatistics(await this.checkpoints.checkpoint(jobId, checkpointId), true);
  }

  @Get(':jobid/checkpoints/details/:checkpointid/subtasks/:vertexid')
  @ApiOperation({ summary: 'One task of one checkpoint with its subtasks.' })
  @ApiOkResponse({ type: TaskCheckpointStatisticsWithSubtaskDetailsDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async subtasks(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Param('checkpointid', ParseCheckpointIdPipe) checkpointId: number,
    @Param('vertexid') vertexId: string,
  ): Promise<ResponseBody<TaskCheckpointStatisticsWithSubtaskDetailsDto>> {
    return toTaskCheckpointDetails(checkpointId, await this.checkpoints.task(jobId, checkpointId, vertexId));
  }

  @Get(':jobid/checkpoints/:triggerid')
  @ApiOperation({ summary: 'The status of a triggered checkpoint.' })
  @ApiOkResponse({ type: CheckpointStatusDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto, description: 'Unknown or expired trigger ID.' })
  async status(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Param('triggerid', ParseTriggerIdPipe) triggerId: string,
  ): Promise<ResponseBody<CheckpointStatusDto>> {
    return toCheckpointStatus(await this.checkpoints.status(jobId, triggerId));
  }
}
