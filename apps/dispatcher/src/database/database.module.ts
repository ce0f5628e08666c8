import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source.js';
import type { DatabaseSettings } from './data-source.js';

/**
 * Provides the initialized DataSource, migrations applied. The EngineModule closes it on shutdown,
 * after the cluster, because ending jobs still write to it.
 */
@Module({})
export class DatabaseModule {
  static forRoot(settings: DatabaseSettings): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [
        {
          provide: DataSource,
          useFactory: async (): Promise<DataSource> => {
            const dataSource = createDataSource(settings);
            await dataSource.initialize();
            try {
              await dataSource.runMigrations({ transaction: 'each' });
            } catch (error) {
              await dataSource.destroy();
              throw error;
            }
            return dataSource;
          },
        },
      ],
      exports: [DataSource],
    };
  }
}
