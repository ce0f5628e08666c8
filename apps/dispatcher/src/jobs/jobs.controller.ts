import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import type { JobID } from '@eddy/runtime';
import { EmptyResponseBodyDto } from '../common/dto/empty-response-body.dto.js';
import type { ResponseBody } from '../common/dto/response-body.js';
import { ErrorResponseBodyDto } from '../common/dto/error-response-body.dto.js';
import { JobDetailsInfoDto } from './dto/job-details-info.dto.js';
import { JobIdsWithStatusOverviewDto, JobStatusInfoDto } from './dto/job-status.dto.js';
import { JobSubmitResponseBodyDto } from './dto/job-submit-response-body.dto.js';
import { MultipleJobsDetailsDto } from './dto/multiple-jobs-details.dto.js';
import { ParseJobIdPipe } from './job-id.pipe.js';
import { toJobDetailsInfo, toJobIdWithStatus } from './jobs.mapper.js';
import { JobsService } from './jobs.service.js';

const JOB_GRAPH_SCHEMA: SchemaObject = {
  type: 'object',
  description:
    "Eddy's JSON job graph (JobGraphJson): where Flink takes a serialized JobGraph, Eddy takes this. " +
    'See examples/word-count.json.',
  required: ['name', 'vertices'],
  properties: {
    jid: { type: 'string', description: '32 hexadecimal characters; generated when absent.' },
    name: { type: 'string' },
    type: { type: 'string', enum: ['BATCH', 'STREAMING'] },
    configuration: { type: 'object', additionalProperties: true },
    vertices: { type: 'array', items: { type: 'object', additionalProperties: true } },
  },
};

/** Flink's job routes (v1), each also under `/v1`. */
@ApiTags('jobs')
@Controller(['jobs', 'v1/jobs'])
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @ApiOperation({ summary: 'Every job with its status.' })
  @ApiOkResponse({ type: JobIdsWithStatusOverviewDto })
  async list(): Promise<ResponseBody<JobIdsWithStatusOverviewDto>> {
    return { jobs: (await this.jobs.listJobs()).map(toJobIdWithStatus) };
  }

  @Get('overview')
  @ApiOperation({ summary: 'An overview of every job (Flink’s JobDetails).' })
  @ApiOkResponse({ type: MultipleJobsDetailsDto })
  async overview(): Promise<ResponseBody<MultipleJobsDetailsDto>> {
    return { jobs: await this.jobs.listJobDetails(Date.now()) };
  }

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Submits a JSON job graph; it is stored before this answers.' })
  @ApiBody({ schema: JOB_GRAPH_SCHEMA })
  @ApiResponse({ status: 202, type: JobSubmitResponseBodyDto })
  @ApiResponse({
    status: 400,
    type: ErrorResponseBodyDto,
    description: 'Malformed JSON or invalid job graph.',
  })
  @ApiResponse({ status: 409, type: ErrorResponseBodyDto, description: 'A job with this ID exists.' })
  async submit(@Body() body: unknown): Promise<ResponseBody<JobSubmitResponseBodyDto>> {
    const jobId = await this.jobs.submit(body);
    return { jobUrl: `/jobs/${jobId}` };
  }

  @Get(':jobid')
  @ApiOperation({ summary: 'Details of a job (a subset of Flink’s JobDetailsInfo).' })
  @ApiOkResponse({ type: JobDetailsInfoDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async details(@Param('jobid', ParseJobIdPipe) jobId: JobID): Promise<ResponseBody<JobDetailsInfoDto>> {
    return toJobDetailsInfo(await this.jobs.getJob(jobId), Date.now());
  }

  @Patch(':jobid')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Cancels a job.' })
  @ApiQuery({ name: 'mode', required: false, enum: ['cancel'] })
  @ApiResponse({ status: 202, type: EmptyResponseBodyDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  @ApiResponse({ status: 409, type: ErrorResponseBodyDto, description: 'The job already ended.' })
  async terminate(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Query('mode') mode: string | undefined,
  ): Promise<Record<string, never>> {
    await this.jobs.terminate(jobId, mode);
    return {};
  }

  @Get(':jobid/status')
  @ApiOperation({ summary: 'The status of a job.' })
  @ApiOkResponse({ type: JobStatusInfoDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async status(@Param('jobid', ParseJobIdPipe) jobId: JobID): Promise<ResponseBody<JobStatusInfoDto>> {
    return { status: await this.jobs.getStatus(jobId) };
  }
}
