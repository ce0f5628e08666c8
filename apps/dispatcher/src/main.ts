import { Logger } from '@nestjs/common';
import { createApp } from './app.js';
import { compileSettings } from './settings.js';

const settings = compileSettings();
const app = await createApp(settings);
// SIGTERM/SIGINT close the app: the cluster first, then the data source.
app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
await app.listen(settings.restPort, settings.restAddress);
new Logger('Dispatcher').log(
  `REST on http://${settings.restAddress}:${settings.restPort} (${settings.database.kind === 'postgres' ? 'Postgres' : `PGlite in ${settings.database.dataDir}`}).`,
);
