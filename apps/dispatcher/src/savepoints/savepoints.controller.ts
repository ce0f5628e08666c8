import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger';
import type { JobID } from '@eddy/runtime';
import { ErrorResponseBodyDto } from '../common/dto/error-response-body.dto.js';
import type { ResponseBody } from '../common/dto/response-body.js';
import { ParseJobIdPipe } from '../jobs/job-id.pipe.js';
import { toAsynchronousOperationStatus, toSavepointStatus } from '../operations/async-operations.mapper.js';
import {
  AsynchronousOperationStatusDto,
  SavepointStatusDto,
  TriggerResponseDto,
} from '../operations/dto/async-operation.dto.js';
import { ParseTriggerIdPipe } from '../operations/trigger-id.js';
import { SavepointsService } from './savepoints.service.js';

const TRIGGER_ID: SchemaObject = {
  type: 'string',
  description: '32 hexadecimal characters; idempotency key.',
};
const FORMAT_TYPE: SchemaObject = { type: 'string', enum: ['CANONICAL', 'NATIVE'] };

/** Flink's savepoint and stop-with-savepoint routes of a job (v1), each also under `/v1`. */
@ApiTags('savepoints')
@Controller(['jobs', 'v1/jobs'])
export class SavepointsController {
  constructor(private readonly savepoints: SavepointsService) {}

  @Post(':jobid/savepoints')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary:
      'Triggers a savepoint (cancel-job: stops the job with it); poll GET /jobs/:jobid/savepoints/:triggerid.',
  })
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: {
        'target-directory': {
          type: 'string',
          description:
            'Absolute, inside EDDY_SAVEPOINT_ROOTS; default execution.checkpointing.savepoint-dir.',
        },
        'cancel-job': { type: 'boolean' },
        formatType: FORMAT_TYPE,
        triggerId: TRIGGER_ID,
      },
    },
  })
  @ApiResponse({ status: 202, type: TriggerResponseDto })
  @ApiResponse({ status: 400, type: ErrorResponseBodyDto, description: 'No or a disallowed directory.' })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async trigger(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Body() body: unknown,
  ): Promise<ResponseBody<TriggerResponseDto>> {
    return { 'request-id': await this.savepoints.trigger(jobId, body) };
  }

  @Get(':jobid/savepoints/:triggerid')
  @ApiOperation({ summary: 'The status of a savepoint or stop-with-savepoint.' })
  @ApiOkResponse({ type: SavepointStatusDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto, description: 'Unknown or expired trigger ID.' })
  async status(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Param('triggerid', ParseTriggerIdPipe) triggerId: string,
  ): Promise<ResponseBody<SavepointStatusDto>> {
    return toSavepointStatus(await this.savepoints.status(jobId, triggerId));
  }

  @Post(':jobid/stop')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Stops a job with a savepoint; poll GET /jobs/:jobid/savepoints/:triggerid.' })
  @ApiBody({
    required: false,
    schema: {
      type: 'object',
      properties: {
        targetDirectory: {
          type: 'string',
          description:
            'Absolute, inside EDDY_SAVEPOINT_ROOTS; default execution.checkpointing.savepoint-dir.',
        },
        drain: { type: 'boolean' },
        formatType: FORMAT_TYPE,
        triggerId: TRIGGER_ID,
      },
    },
  })
  @ApiResponse({ status: 202, type: TriggerResponseDto })
  @ApiResponse({ status: 400, type: ErrorResponseBodyDto, description: 'No or a disallowed directory.' })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async stop(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Body() body: unknown,
  ): Promise<ResponseBody<TriggerResponseDto>> {
    return { 'request-id': await this.savepoints.stop(jobId, body) };
  }
}

/** Flink's savepoint disposal routes (v1), each also under `/v1`. */
@ApiTags('savepoints')
@Controller(['savepoint-disposal', 'v1/savepoint-disposal'])
export class SavepointDisposalController {
  constructor(private readonly savepoints: SavepointsService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Deletes a savepoint; poll GET /savepoint-disposal/:triggerid.' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['savepoint-path'],
      properties: { 'savepoint-path': { type: 'string', description: 'Inside EDDY_SAVEPOINT_ROOTS.' } },
    },
  })
  @ApiOkResponse({ type: TriggerResponseDto })
  @ApiResponse({ status: 400, type: ErrorResponseBodyDto })
  async dispose(@Body() body: unknown): Promise<ResponseBody<TriggerResponseDto>> {
    return { 'request-id': await this.savepoints.dispose(body) };
  }

  @Get(':triggerid')
  @ApiOperation({ summary: 'The status of a savepoint disposal.' })
  @ApiOkResponse({ type: AsynchronousOperationStatusDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto, description: 'Unknown or expired trigger ID.' })
  async status(
    @Param('triggerid', ParseTriggerIdPipe) triggerId: string,
  ): Promise<ResponseBody<AsynchronousOperationStatusDto>> {
    return toAsynchronousOperationStatus(await this.savepoints.disposalStatus(triggerId));
  }
}
