import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidSettingError, compileSettings } from '../src/settings.js';

describe('compileSettings', () => {
  it('defaults to 127.0.0.1:8081, PGlite in .eddy/data and one TaskManager with 4 slots', () => {
    expect(compileSettings({})).toEqual({
      restAddress: '127.0.0.1',
      restPort: 8081,
      database: { kind: 'pglite', dataDir: resolve('.eddy/data') },
      taskManagers: 1,
      slotsPerTaskManager: 4,
      authToken: undefined,
      maxBodyBytes: 10 * 1024 * 1024,
    });
  });

  it('reads the environment', () => {
    expect(
      compileSettings({
        EDDY_REST_ADDRESS: '0.0.0.0',
        EDDY_REST_PORT: '9000',
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
        EDDY_TASK_MANAGERS: '2',
        EDDY_SLOTS_PER_TASK_MANAGER: '8',
        EDDY_AUTH_TOKEN: 's3cret',
        EDDY_MAX_BODY_BYTES: '1024',
      }),
    ).toEqual({
      restAddress: '0.0.0.0',
      restPort: 9000,
      database: { kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/test' },
      taskManagers: 2,
      slotsPerTaskManager: 8,
      authToken: 's3cret',
      maxBodyBytes: 1024,
    });
  });

  it('refuses values the service cannot run with, naming the variable', () => {
    expect(() => compileSettings({ EDDY_REST_PORT: 'http' })).toThrow(InvalidSettingError);
    expect(() => compileSettings({ EDDY_MAX_BODY_BYTES: '10mb' })).toThrow(/EDDY_MAX_BODY_BYTES/);
    expect(() => compileSettings({ EDDY_SLOTS_PER_TASK_MANAGER: '0' })).toThrow(
      /EDDY_SLOTS_PER_TASK_MANAGER/,
    );
  });
});
