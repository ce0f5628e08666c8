import { resolve } from 'node:path';
import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { OperationsModule } from '../operations/operations.module.js';
import type { DispatcherSettings } from '../settings.js';
import { SAVEPOINT_ROOTS, SavepointRoots } from './savepoint-roots.js';
import { SavepointDisposalController, SavepointsController } from './savepoints.controller.js';
import { SavepointsService } from './savepoints.service.js';

/** The savepoint roots of `settings`; without any, the data dir (`EDDY_DATA_DIR`, default `.eddy/data`). */
export function savepointRootsOf(settings: DispatcherSettings): readonly string[] {
  if (settings.savepointRoots !== undefined && settings.savepointRoots.length > 0)
    return settings.savepointRoots;
  return [settings.database.kind === 'pglite' ? settings.database.dataDir : resolve('.eddy/data')];
}

/** Savepoints, stop-with-savepoint and disposal, confined to the savepoint roots. */
@Module({})
export class SavepointsModule {
  static forRoot(settings: DispatcherSettings): DynamicModule {
    return {
      module: SavepointsModule,
      imports: [OperationsModule],
      controllers: [SavepointsController, SavepointDisposalController],
      providers: [
        { provide: SAVEPOINT_ROOTS, useValue: new SavepointRoots(savepointRootsOf(settings)) },
        SavepointsService,
      ],
    };
  }
}
