import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { IllegalStateError, MiniCluster, MiniClusterConfiguration } from '@eddy/runtime';
import type { Dispatcher, ResourceManager } from '@eddy/runtime';
import { DataSource } from 'typeorm';
import { PostgresExecutionGraphInfoStore } from './stores/postgres-execution-graph-info-store.js';
import { PostgresExecutionPlanStore } from './stores/postgres-execution-plan-store.js';
import { PostgresJobResultStore } from './stores/postgres-job-result-store.js';

/** Shape of the in-process cluster the service runs. */
export interface EngineSettings {
  readonly taskManagers: number;
  readonly slotsPerTaskManager: number;
}

export const ENGINE_SETTINGS = Symbol('ENGINE_SETTINGS');

/**
 * Holds the engine: an in-process MiniCluster whose Dispatcher keeps job graphs, results and
 * archives in Postgres. Started once the database is migrated; on shutdown the cluster closes
 * first (its ending jobs still write), then the data source.
 */
@Injectable()
export class EngineService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(EngineService.name);
  private miniCluster: MiniCluster | undefined;
  private miniClusterConfiguration: MiniClusterConfiguration | undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ENGINE_SETTINGS) private readonly settings: EngineSettings,
  ) {}

  async onModuleInit(): Promise<void> {
    const configuration = MiniClusterConfiguration.newBuilder()
      .setNumTaskManagers(this.settings.taskManagers)
      .setNumSlotsPerTaskManager(this.settings.slotsPerTaskManager)
      .build();
    const cluster = new MiniCluster(configuration, {
      executionPlanStore: new PostgresExecutionPlanStore(this.dataSource),
      jobResultStore: new PostgresJobResultStore(this.dataSource),
      executionGraphInfoStore: new PostgresExecutionGraphInfoStore(this.dataSource),
    });
    await cluster.start();
    this.miniCluster = cluster;
    this.miniClusterConfiguration = configuration;
    this.logger.log(
      `MiniCluster started: ${this.settings.taskManagers} TaskManager(s) × ${this.settings.slotsPerTaskManager} slot(s).`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    try {
      await this.miniCluster?.closeAsync();
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
