import { Injectable } from '@nestjs/common';
import { JobStatus } from '@eddy/runtime';
import { EngineService } from '../engine/engine.service.js';

/** The Flink version whose REST API (v1) the service speaks. */
export const FLINK_VERSION = '2.1.0';
/** What the service reports as Flink's commit: Eddy's own version. */
export const EDDY_REVISION = 'eddy-0.1.0';

/** Web options (Flink's defaults where Eddy has the feature). */
export const DASHBOARD_REFRESH_INTERVAL_MS = 3000;

export interface ClusterOverview {
  readonly taskManagers: number;
  readonly slotsTotal: number;
  readonly slotsAvailable: number;
  readonly jobsRunning: number;
  readonly jobsFinished: number;
  readonly jobsCancelled: number;
  readonly jobsFailed: number;
}

/** Cluster-wide facts: resources from the ResourceManager, job counts from the Dispatcher. */
@Injectable()
export class ClusterService {
  constructor(private readonly engine: EngineService) {}

  async overview(): Promise<ClusterOverview> {
    const resourceManager = this.engine.resourceManager;
    const jobs = await this.engine.dispatcher.listJobs();
    const count = (status: JobStatus) => jobs.filter((job) => job.jobState === status).length;
    const jobsFinished = count(JobStatus.FINISHED);
    const jobsCancelled = count(JobStatus.CANCELED);
    const jobsFailed = count(JobStatus.FAILED);
    return {
      taskManagers: resourceManager.getNumberOfRegisteredTaskExecutors(),
      slotsTotal: resourceManager.getNumberOfRegisteredSlots(),
      slotsAvailable: resourceManager.getNumberOfFreeSlots(),
      jobsRunning: jobs.length - jobsFinished - jobsCancelled - jobsFailed,
      jobsFinished,
      jobsCancelled,
      jobsFailed,
    };
  }
}
