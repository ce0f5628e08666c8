import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { IllegalStateError, MiniCluster, MiniClusterConfiguration, jobGraphFromJson } from '@eddy/runtime';
import type { Dispatcher, ResourceManager } from '@eddy/runtime';
import { DataSource } from 'typeorm';
import { PostgresExecutionGraphInfoStore } from './stores/postgres-execution-graph-info-store.js';
import { PostgresExecutionPlanStore } from './stores/postgres-execution-plan-store.js';
import { PostgresJobResultStore } from './stores/postgres-job-result-store.js';
import { JobRecoveryService } from './job-recovery.service.js';
import type { RecoveryReport } from './job-recovery.service.js';

/** Shape of the in-process cluster the service runs. */
export interface EngineSettings {
  readonly taskManagers: number;
  readonly slotsPerTaskManager: number;
}

export const ENGINE_SETTINGS = Symbol('ENGINE_SETTINGS');

/**
 * Holds the engine: an in-process MiniCluster whose Dispatcher keeps job graphs, results and
 * archives in Postgres. Started once the database is migrated, then recovers the jobs that had not
 * ended (JobRecoveryService). On shutdown the cluster closes first, suspending running jobs (their
 * plans stay stored, no result is written, so the next start recovers them), then the data source.
 */
@Injectable()
export class EngineService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EngineService.name);
  private miniCluster: MiniCluster | undefined;
  private miniClusterConfiguration: MiniClusterConfiguration | undefined;
  private lastRecovery: RecoveryReport | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ENGINE_SETTINGS) private readonly settings: EngineSettings,
    private readonly recovery: JobRecoveryService,
  ) {}

  async onModuleInit(): Promise<void> {
    const configuration = MiniClusterConfiguration.newBuilder()
      .setNumTaskManagers(this.settings.taskManagers)
      .setNumSlotsPerTaskManager(this.settings.slotsPerTaskManager)
      .build();
    const stores = {
      executionPlanStore: new PostgresExecutionPlanStore(this.dataSource),
      jobResultStore: new PostgresJobResultStore(this.dataSource),
      executionGraphInfoStore: new PostgresExecutionGraphInfoStore(this.dataSource),
    };
    const cluster = new MiniCluster(configuration, stores);
    await cluster.start();
    this.miniCluster = cluster;
    this.miniClusterConfiguration = configuration;
    this.logger.log(
      `MiniCluster started: ${this.settings.taskManagers} TaskManager(s) × ${this.settings.slotsPerTaskManager} slot(s).`,
    );
    this.lastRecovery = await this.recovery.recover(
      stores,
      configuration.getConfiguration(),
      async (jobGraphJson) => {
        await cluster.submitJob(jobGraphFromJson(jobGraphJson));
      },
    );
  }

  /** What recovery did on start (undefined before the engine started). */
  get recoveryReport(): RecoveryReport | undefined {
    return this.lastRecovery;
  }

  async onApplicationShutdown(): Promise<void> {
    try {
      // Suspended, not cancelled: running jobs stay recoverable on the next start.
      await this.miniCluster?.closeAsync({ suspendJobs: true });
    } finally {
      if (this.dataSource.isInitialized) await this.dataSource.destroy();
    }
  }

  get cluster(): MiniCluster {
    if (this.miniCluster === undefined) throw new IllegalStateError('The engine has not started.');
    return this.miniCluster;
  }

  /** The configuration the MiniCluster was started with (TaskManagers, slots, cluster options). */
  get clusterConfiguration(): MiniClusterConfiguration {
    if (this.miniClusterConfiguration === undefined)
      throw new IllegalStateError('The engine has not started.');
    return this.miniClusterConfiguration;
  }

  get dispatcher(): Dispatcher {
    return this.cluster.getDispatcher();
  }

  get resourceManager(): ResourceManager {
    return this.cluster.getResourceManager();
  }
}
