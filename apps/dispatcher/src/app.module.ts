import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { CheckpointsModule } from './checkpoints/checkpoints.module.js';
import { ClusterModule } from './cluster/cluster.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EngineModule } from './engine/engine.module.js';
import { EventsModule } from './events/events.module.js';
import { JobManagerModule } from './jobmanager/jobmanager.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { SavepointsModule } from './savepoints/savepoints.module.js';
import type { DispatcherSettings } from './settings.js';
import { TaskManagersModule } from './taskmanagers/taskmanagers.module.js';

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
        CheckpointsModule,
        SavepointsModule.forRoot(settings),
        TaskManagersModule,
        JobManagerModule,
        EventsModule.forRoot({ authToken: settings.authToken === '' ? undefined : settings.authToken }),
      ],
    };
  }
}
