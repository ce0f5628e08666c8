import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication, LogLevel, NestApplicationOptions } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OpenAPIObject } from '@nestjs/swagger';
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
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('openapi', app, document, {
    ui: false,
    raw: ['json'],
    jsonDocumentUrl: 'openapi.json',
  });
  await app.init();
  return app;
}

/**
 * The OpenAPI document of the service's routes, as served at `GET /openapi.json`. Keys are sorted
 * (recursively), so the committed `openapi.json` (`npm run openapi`) diffs cleanly.
 */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Eddy Dispatcher')
      .setDescription("Apache Flink's REST API (v1), served by Eddy's Dispatcher.")
      .setVersion('0.1.0')
      .build(),
  );
  completePathParameters(document);
  return sortKeys(document) as OpenAPIObject;
}

/**
 * Every `{name}` of a route's path is a required path parameter, listed first in path order. Swagger
 * derives them from `design:paramtypes`, which differs between compilers for type aliases such as
 * the branded `JobID` (tsc: String; SWC, under the tests: Object, which swagger skips): this makes
 * the document the same either way.
 */
function completePathParameters(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
    for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const) {
      const operation = item[method];
      if (operation === undefined) continue;
      const parameters = operation.parameters ?? [];
      const isPath = (parameter: (typeof parameters)[number], name: string) =>
        'in' in parameter && parameter.in === 'path' && parameter.name === name;
      const pathParameters = names.map(
        (name) =>
          parameters.find((parameter) => isPath(parameter, name)) ?? {
            in: 'path' as const,
            name,
            required: true,
            schema: { type: 'string' as const },
          },
      );
      const others = parameters.filter((parameter) => !names.some((name) => isPath(parameter, name)));
      operation.parameters = [...pathParameters, ...others];
    }
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}
