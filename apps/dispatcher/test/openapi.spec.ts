import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenApiDocument } from '../src/app.js';
import { createTestDatabase, startTestApp, type TestApp, type TestDatabase } from './support/test-app.js';

// The committed openapi.json (the typed client's source) must be what the service serves.
describe('openapi.json', () => {
  let database: TestDatabase;
  let app: TestApp;
  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    app = await startTestApp(database.settings, { taskManagers: 0 });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('is up to date with the service', async () => {
    const committed = await readFile(new URL('../openapi.json', import.meta.url), 'utf8');
    const fresh = `${JSON.stringify(createOpenApiDocument(app.app), null, 2)}\n`;
    if (fresh !== committed) expect.fail('openapi.json is stale: run npm run openapi');
  });

  it('is what GET /openapi.json serves', async () => {
    const served: unknown = (await app.http.get('/openapi.json').expect(200)).body;
    const committed: unknown = JSON.parse(
      await readFile(new URL('../openapi.json', import.meta.url), 'utf8'),
    );
    expect(served).toEqual(committed);
  });
});
