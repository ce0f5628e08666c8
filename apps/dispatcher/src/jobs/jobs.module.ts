import { Module } from '@nestjs/common';
import { JobDetailsController } from './job-details.controller.js';
import { JobMetricsController } from './job-metrics.controller.js';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';

@Module({
  controllers: [JobsController, JobDetailsController, JobMetricsController],
  providers: [JobsService],
})
export class JobsModule {}
