import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { LogLevel, NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { RestExceptionFilter } from './common/rest-exception.filter.js';
import { DEFAULT_MAX_BODY_BYTES, bearerAuth, bodyTooLarge } from './common/security.js';
import type { DispatcherSettings } from './settings.js';

/** Default largest request body (job graphs are small; Flink allows 100 MiB for jars). */
export const MAX_REQUEST_BODY = DEFAULT_MAX_BODY_BYTES;

export interface CreateAppOptions {
  /** Nest log levels; default: log, warn, error. `false` silences Nest. */
  readonly logger?: LogLevel[] | false;
}

/**
 * Builds the Dispatcher service (database migrated, MiniCluster started, REST routes, the error
 * filter, `GET /openapi.json`) without listening yet: `main.ts` and the tests both start it.
 */
export async function createApp(
  settings: DispatcherSettings,
  options: CreateAppOptions = {},
): Promise<NestExpressApplication> {
  const nestOptions: Pick<NestApplicationOptions, 'logger' | 'bodyParser'> = {
    logger: options.logger ?? ['log', 'warn', 'error'],
    // Registered below, with Eddy's size limit.
    bodyParser: false,
  };
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(settings), nestOptions);
  app.enableCors({ origin: '*' });
  // With EDDY_AUTH_TOKEN, mutating routes need the bearer token (checked before any body is read).
  if (settings.authToken !== undefined && settings.authToken !== '') app.use(bearerAuth(settings.authToken));
  const maxBodyBytes = settings.maxBodyBytes ?? MAX_REQUEST_BODY;
  app.useBodyParser('json', { limit: maxBodyBytes });
  app.use(bodyTooLarge(maxBodyBytes));
  app.useGlobalFilters(new RestExceptionFilter());
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Eddy Dispatcher')
      .setDescription("Apache Flink's REST API (v1), served by Eddy's Dispatcher.")
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('openapi', app, document, {
    ui: false,
    raw: ['json'],
    jsonDocumentUrl: 'openapi.json',
  });
  await app.init();
  return app;
}
