import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp, TestDatabase } from './support/test-app.js';
import { BACKENDS, bodyOf, createTestDatabase, startTestApp } from './support/test-app.js';

interface TaskManagerInfo {
  id: string;
  path: string;
  dataPort: number;
  jmxPort: number;
  timeSinceLastHeartbeat: number;
  slotsNumber: number;
  freeSlots: number;
  totalResource: Record<string, unknown>;
  freeResource: Record<string, unknown>;
  hardware: Record<string, number>;
  memoryConfiguration: object;
  blocked: boolean;
}

describe.each(BACKENDS)('taskmanagers and jobmanager on %s', (kind) => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    app = await startTestApp(database.settings);
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('lists the TaskManagers with their slots and resources, also under /v1', async () => {
    for (const prefix of ['', '/v1']) {
      const list = bodyOf<{ taskmanagers: TaskManagerInfo[] }>(
        await app.http.get(`${prefix}/taskmanagers`).expect(200),
      );
      expect(list.taskmanagers).toHaveLength(1);
      const tm = list.taskmanagers[0];
      expect(tm).toMatchObject({
        jmxPort: -1,
        slotsNumber: 4,
        freeSlots: 4,
        blocked: false,
        memoryConfiguration: {},
      });
      expect(typeof tm?.id).toBe('string');
      expect(typeof tm?.path).toBe('string');
      expect(typeof tm?.dataPort).toBe('number');
      expect(tm?.timeSinceLastHeartbeat).toBeGreaterThan(0);
      for (const key of [
        'cpuCores',
        'taskHeapMemory',
        'taskOffHeapMemory',
        'managedMemory',
        'networkMemory',
      ]) {
        expect(typeof tm?.totalResource[key]).toBe('number');
        expect(tm?.freeResource[key]).toBe(tm?.totalResource[key]);
      }
      expect(tm?.totalResource.extendedResources).toEqual({});
      expect(Object.keys(tm?.hardware ?? {}).sort()).toEqual([
        'cpuCores',
        'freeMemory',
        'managedMemory',
        'physicalMemory',
      ]);
    }
  });

  it('serves one TaskManager, and 404 for an unknown one', async () => {
    const list = bodyOf<{ taskmanagers: TaskManagerInfo[] }>(await app.http.get('/taskmanagers').expect(200));
    const id = list.taskmanagers[0]?.id ?? '';
    const details = bodyOf<TaskManagerInfo & { allocatedSlots: unknown[] }>(
      await app.http.get(`/v1/taskmanagers/${encodeURIComponent(id)}`).expect(200),
    );
    expect(details).toMatchObject({ id, slotsNumber: 4, allocatedSlots: [] });
    expect((await app.http.get('/taskmanagers/no-such-taskmanager').expect(404)).body).toEqual({
      errors: ['Could not find TaskManager no-such-taskmanager.'],
    });
  });

  it('serves the cluster configuration as key/value pairs', async () => {
    for (const prefix of ['', '/v1']) {
      const config = bodyOf<{ key: string; value: string }[]>(
        await app.http.get(`${prefix}/jobmanager/config`).expect(200),
      );
      expect(config).toContainEqual({ key: 'taskmanager.numberOfTaskSlots', value: '4' });
      expect(config).toContainEqual({ key: 'local.number-taskmanager', value: '1' });
      expect(config.map((entry) => entry.key)).toEqual([...config.map((entry) => entry.key)].sort());
    }
  });
});
