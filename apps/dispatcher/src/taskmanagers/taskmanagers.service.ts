import { Injectable } from '@nestjs/common';
import type { TaskManagerInfo } from '@eddy/runtime';
import { EngineService } from '../engine/engine.service.js';
import { TaskManagerNotFoundError } from './taskmanagers.errors.js';

/** The cluster's TaskManagers, as its ResourceManager knows them. */
@Injectable()
export class TaskManagersService {
  constructor(private readonly engine: EngineService) {}

  listTaskManagers(): Promise<TaskManagerInfo[]> {
    return this.engine.resourceManager.requestTaskManagerInfo();
  }

  /** One TaskManager by its ResourceID; TaskManagerNotFoundError when none is registered. */
  async getTaskManager(taskManagerId: string): Promise<TaskManagerInfo> {
    const found = (await this.listTaskManagers()).find((info) => info.resourceId === taskManagerId);
    if (found === undefined) throw new TaskManagerNotFoundError(taskManagerId);
    return found;
  }
}
