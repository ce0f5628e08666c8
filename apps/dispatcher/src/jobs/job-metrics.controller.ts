import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { ArchivedExecutionJobVertexJson, ArchivedExecutionJson, JobID } from '@eddy/runtime';
import { ErrorResponseBodyDto } from '../common/dto/error-response-body.dto.js';
import type { ResponseBody } from '../common/dto/response-body.js';
import { JobVertexBackPressureInfoDto, MetricDto } from './dto/job-metrics.dto.js';
import { ParseJobIdPipe } from './job-id.pipe.js';
import { JobsService } from './jobs.service.js';

/** The per-subtask I/O counters the engine reports (and keeps in the archived graph). */
const IO_METRICS: readonly (keyof NonNullable<ArchivedExecutionJson['ioMetrics']>)[] = [
  'numRecordsIn',
  'numRecordsOut',
  'numBuffersIn',
  'numBuffersOut',
];

/**
 * The vertex's metrics by name: each counter summed over its subtasks (`numRecordsIn`) and per
 * subtask (`0.numRecordsIn`, as Flink names subtask metrics). A subtask that has not reported its
 * counters yet contributes nothing.
 */
export function vertexMetrics(vertex: ArchivedExecutionJobVertexJson): Map<string, number> {
  const metrics = new Map<string, number>();
  for (const name of IO_METRICS) metrics.set(name, 0);
  for (const subtask of vertex.subtasks) {
    const io = subtask.currentExecution.ioMetrics;
    if (io === undefined) continue;
    for (const name of IO_METRICS) {
      metrics.set(name, (metrics.get(name) ?? 0) + io[name]);
      metrics.set(`${subtask.subtaskIndex}.${name}`, io[name]);
    }
  }
  return metrics;
}

/** Flink's back-pressure and vertex metric routes (v1), each also under `/v1`. */
@ApiTags('jobs')
@Controller(['jobs', 'v1/jobs'])
export class JobMetricsController {
  constructor(private readonly jobs: JobsService) {}

  @Get(':jobid/vertices/:vertexid/backpressure')
  @ApiOperation({
    summary: 'Back pressure of the subtasks of a vertex (Flink’s JobVertexBackPressureInfo).',
    description:
      'Eddy measures no busy, idle or back-pressured time of its tasks: every ratio is 0 and every ' +
      'level `ok`. These are not measurements; the route exists so that Flink clients can read it.',
  })
  @ApiOkResponse({ type: JobVertexBackPressureInfoDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto, description: 'Unknown job or vertex.' })
  async backpressure(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Param('vertexid') vertexId: string,
  ): Promise<ResponseBody<JobVertexBackPressureInfoDto>> {
    const vertex = await this.jobs.getVertex(jobId, vertexId);
    return {
      status: 'ok',
      'backpressure-level': 'ok',
      'end-timestamp': Date.now(),
      subtasks: vertex.subtasks.map((subtask) => ({
        subtask: subtask.subtaskIndex,
        'attempt-number': subtask.currentExecution.attemptNumber,
        'backpressure-level': 'ok',
        ratio: 0,
        idleRatio: 0,
        busyRatio: 0,
        backpressuredRatio: 0,
      })),
    };
  }

  @Get(':jobid/vertices/:vertexid/metrics')
  @ApiOperation({
    summary: 'Metrics of a vertex: their names, or the values of those named in `get`.',
    description:
      'The engine’s per-subtask I/O counters (numRecordsIn, numRecordsOut, numBuffersIn, ' +
      'numBuffersOut), summed over the subtasks and per subtask as `<subtask>.<name>`; values are ' +
      'strings, unknown names in `get` are left out. Eddy has no busy, idle or back-pressure time ' +
      'metrics.',
  })
  @ApiQuery({ name: 'get', required: false, description: 'Comma-separated metric names.' })
  @ApiOkResponse({ type: [MetricDto] })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto, description: 'Unknown job or vertex.' })
  async metrics(
    @Param('jobid', ParseJobIdPipe) jobId: JobID,
    @Param('vertexid') vertexId: string,
    @Query('get') get: string | undefined,
  ): Promise<ResponseBody<MetricDto>[]> {
    const metrics = vertexMetrics(await this.jobs.getVertex(jobId, vertexId));
    if (get === undefined || get === '') return [...metrics.keys()].map((id) => ({ id }));
    const names = get.split(',').map((name) => name.trim());
    return names.flatMap((id) => {
      const value = metrics.get(id);
      return value === undefined ? [] : [{ id, value: String(value) }];
    });
  }
}
