/* global URL, console */
// Writes apps/dispatcher/openapi.json: the OpenAPI document the service serves at GET /openapi.json.
// Runs the built service (`npm run openapi` builds first; tsx emits no decorator metadata) over a
// throw-away PGlite folder, without listening and without TaskExecutors.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp, createOpenApiDocument } from '../dist/app.js';

const target = fileURLToPath(new URL('../openapi.json', import.meta.url));
const dataDir = await mkdtemp(join(tmpdir(), 'eddy-openapi-'));
try {
  const app = await createApp(
    {
      restAddress: '127.0.0.1',
      restPort: 0,
      database: { kind: 'pglite', dataDir },
      taskManagers: 0,
      slotsPerTaskManager: 1,
    },
    { logger: false },
  );
  try {
    await writeFile(target, `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`);
  } finally {
    await app.close();
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
console.log(`Wrote ${target}`);
