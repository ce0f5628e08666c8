import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ResponseBody } from '../common/dto/response-body.js';
import { ConfigurationInfoEntryDto } from './dto/config-entry.dto.js';
import { JobManagerService } from './jobmanager.service.js';

/** Flink's JobManager routes (v1), each also under `/v1`. */
@ApiTags('jobmanager')
@Controller(['jobmanager', 'v1/jobmanager'])
export class JobManagerController {
  constructor(private readonly jobManager: JobManagerService) {}

  @Get('config')
  @ApiOperation({ summary: 'The cluster configuration, as key/value options.' })
  @ApiOkResponse({ type: [ConfigurationInfoEntryDto] })
  config(): ResponseBody<ConfigurationInfoEntryDto[]> {
    return [...this.jobManager.configuration()].map(([key, value]) => ({ key, value }));
  }
}
