import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { ENGINE_SETTINGS, EngineService } from './engine.service.js';
import type { EngineSettings } from './engine.service.js';
import { JobRecoveryService } from './job-recovery.service.js';

/** Adapts the engine (`@eddy/runtime`) to Nest: the one place that owns the MiniCluster. */
@Module({})
export class EngineModule {
  static forRoot(settings: EngineSettings): DynamicModule {
    return {
      module: EngineModule,
      global: true,
      providers: [{ provide: ENGINE_SETTINGS, useValue: settings }, JobRecoveryService, EngineService],
      exports: [EngineService],
    };
  }
}
