import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { ClusterModule } from './cluster/cluster.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EngineModule } from './engine/engine.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import type { DispatcherSettings } from './settings.js';

/** The Dispatcher service: database, engine, and the REST domains. */
@Module({})
export class AppModule {
  static forRoot(settings: DispatcherSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot(settings.database),
        EngineModule.forRoot({
          taskManagers: settings.taskManagers,
          slotsPerTaskManager: settings.slotsPerTaskManager,
        }),
        ClusterModule,
        JobsModule,
      ],
    };
  }
}
