import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { JobID } from '@eddy/runtime';
import { ErrorResponseBodyDto } from '../common/dto/error-response-body.dto.js';
import type { ResponseBody } from '../common/dto/response-body.js';
import { JobAccumulatorsInfoDto } from './dto/job-accumulators.dto.js';
import { JobConfigInfoDto } from './dto/job-config.dto.js';
import { JobExceptionsInfoWithHistoryDto } from './dto/job-exceptions.dto.js';
import { JobExecutionResultResponseBodyDto } from './dto/job-execution-result.dto.js';
import { JobPlanInfoDto } from './dto/job-plan.dto.js';
import {
  JobVertexDetailsInfoWithSubtasksDto,
  JobVertexTaskManagersInfoDto,
  SubtasksTimesInfoDto,
} from './dto/job-vertex.dto.js';
import { ParseJobIdPipe } from './job-id.pipe.js';
import {
  toJobAccumulators,
  toJobConfigInfo,
  toJobExceptions,
  toJobExecutionResult,
  toJobPlan,
} from './job-details.mapper.js';
import { toSubtasksTimes, toVertexDetailsWithSubtasks, toVertexTaskManagers } from './job-vertices.mapper.js';
import { InvalidQueryParameterError } from './jobs.errors.js';
import { JobsService } from './jobs.service.js';

/** Flink's `web.exception-history-size` default. */
export const DEFAULT_MAX_EXCEPTIONS = 16;

function parseMaxExceptions(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_MAX_EXCEPTIONS;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidQueryParameterError('maxExceptions', value, 'a non-negative integer');
  return parsed;
}

function parseBoolean(name: string, value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new InvalidQueryParameterError(name, value, 'true or false');
}

/** Flink's read-only views of one job and its vertices (v1), each also under `/v1`. */
@ApiTags('jobs')
@Controller(['jobs', 'v1/jobs'])
export class JobDetailsController {
  constructor(private readonly jobs: JobsService) {}

  @Get(':jobid/plan')
  @ApiOperation({ summary: 'The plan of a job: its vertices and their inputs.' })
  @ApiOkResponse({ type: JobPlanInfoDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async plan(@Param('jobid', ParseJobIdPipe) jobId: JobID): Promise<ResponseBody<JobPlanInfoDto>> {
    return { plan: toJobPlan(await this.jobs.getJob(jobId)) };
  }

  @Get(':jobid/config')
  @ApiOperation({ summary: 'The execution configuration of a job.' })
  @ApiOkResponse({ type: JobConfigInfoDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async config(@Param('jobid', ParseJobIdPipe) jobId: JobID): Promise<ResponseBody<JobConfigInfoDto>> {
    return toJobConfigInfo(await this.jobs.getJob(jobId));
  }

  @Get(':jobid/exceptions')
  @ApiOperation({ summary: 'The exception history of a job, newest first.' })
  @ApiQuery({ name: 'maxExceptions', required: false, type: Number })
  @ApiOkResponse({ type: JobExceptionsInfoWithHistoryDto })
  @ApiResponse({ status: 400, type: ErrorResponseBodyDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async exceptions(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Query('maxExceptions') maxExceptions: string | undefined,
  ): Promise<ResponseBody<JobExceptionsInfoWithHistoryDto>> {
    const max = parseMaxExceptions(maxExceptions);
    return toJobExceptions(await this.jobs.getJob(jobId), max);
  }

  @Get(':jobid/accumulators')
  @ApiOperation({ summary: 'The user accumulators of a job.' })
  @ApiQuery({ name: 'includeSerializedValue', required: false, type: Boolean })
  @ApiOkResponse({ type: JobAccumulatorsInfoDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async accumulators(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Query('includeSerializedValue') includeSerializedValue: string | undefined,
  ): Promise<ResponseBody<JobAccumulatorsInfoDto>> {
    const include = parseBoolean('includeSerializedValue', includeSerializedValue);
    return toJobAccumulators(await this.jobs.getJob(jobId), include);
  }

  @Get(':jobid/execution-result')
  @ApiOperation({ summary: 'The result of a job: IN_PROGRESS until it ended.' })
  @ApiOkResponse({ type: JobExecutionResultResponseBodyDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async executionResult(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
  ): Promise<ResponseBody<JobExecutionResultResponseBodyDto>> {
    const result = await this.jobs.getResultIfTerminal(jobId);
    if (result === undefined) return { status: { id: 'IN_PROGRESS' } };
    return { status: { id: 'COMPLETED' }, 'job-execution-result': toJobExecutionResult(result) };
  }

  @Get(':jobid/vertices/:vertexid')
  @ApiOperation({ summary: 'A vertex of a job with the current attempt of each subtask.' })
  @ApiOkResponse({ type: JobVertexDetailsInfoWithSubtasksDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async vertex(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Param('vertexid') vertexId: string,
  ): Promise<ResponseBody<JobVertexDetailsInfoWithSubtasksDto>> {
    return toVertexDetailsWithSubtasks(await this.jobs.getVertex(jobId, vertexId), Date.now());
  }

  @Get(':jobid/vertices/:vertexid/subtasktimes')
  @ApiOperation({ summary: 'When each subtask of a vertex entered each ExecutionState.' })
  @ApiOkResponse({ type: SubtasksTimesInfoDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async subtaskTimes(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Param('vertexid') vertexId: string,
  ): Promise<ResponseBody<SubtasksTimesInfoDto>> {
    return toSubtasksTimes(await this.jobs.getVertex(jobId, vertexId), Date.now());
  }

  @Get(':jobid/vertices/:vertexid/taskmanagers')
  @ApiOperation({ summary: 'The subtasks of a vertex grouped by TaskManager.' })
  @ApiOkResponse({ type: JobVertexTaskManagersInfoDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async vertexTaskManagers(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Param('vertexid') vertexId: string,
  ): Promise<ResponseBody<JobVertexTaskManagersInfoDto>> {
    return toVertexTaskManagers(await this.jobs.getVertex(jobId, vertexId), Date.now());
  }
}
