import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ResponseBody } from '../common/dto/response-body.js';
import {
  ClusterService,
  DASHBOARD_REFRESH_INTERVAL_MS,
  EDDY_REVISION,
  FLINK_VERSION,
} from './cluster.service.js';
import { ClusterOverviewDto } from './dto/cluster-overview.dto.js';
import { DashboardConfigurationDto } from './dto/dashboard-configuration.dto.js';

/** `/config` and `/overview`, each also under `/v1`. */
@ApiTags('cluster')
@Controller(['', 'v1'])
export class ClusterController {
  constructor(private readonly cluster: ClusterService) {}

  @Get('config')
  @ApiOperation({ summary: 'The dashboard configuration.' })
  @ApiOkResponse({ type: DashboardConfigurationDto })
  config(): ResponseBody<DashboardConfigurationDto> {
    return {
      'refresh-interval': DASHBOARD_REFRESH_INTERVAL_MS,
      'timezone-name': Intl.DateTimeFormat().resolvedOptions().timeZone,
      'timezone-offset': -new Date().getTimezoneOffset() * 60_000,
      'flink-version': FLINK_VERSION,
      'flink-revision': EDDY_REVISION,
      features: { 'web-submit': false, 'web-cancel': true, 'web-rescale': false, 'web-history': false },
    };
  }

  @Get('overview')
  @ApiOperation({ summary: 'An overview of the cluster: TaskManagers, slots and job counts.' })
  @ApiOkResponse({ type: ClusterOverviewDto })
  async overview(): Promise<ResponseBody<ClusterOverviewDto>> {
    const overview = await this.cluster.overview();
    return {
      taskmanagers: overview.taskManagers,
      'slots-total': overview.slotsTotal,
      'slots-available': overview.slotsAvailable,
      'slots-free-and-blocked': 0,
      'taskmanagers-blocked': 0,
      'jobs-running': overview.jobsRunning,
      'jobs-finished': overview.jobsFinished,
      'jobs-cancelled': overview.jobsCancelled,
      'jobs-failed': overview.jobsFailed,
      'flink-version': FLINK_VERSION,
      'flink-commit': EDDY_REVISION,
    };
  }
}
