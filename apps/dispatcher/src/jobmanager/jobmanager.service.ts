import { Injectable } from '@nestjs/common';
import { EngineService } from '../engine/engine.service.js';

/** The JobManager's (the MiniCluster's) configuration. */
@Injectable()
export class JobManagerService {
  constructor(private readonly engine: EngineService) {}

  /**
   * The cluster configuration as options, sorted by key: what it was started with, plus the
   * TaskManager count and slots under Flink's keys.
   */
  configuration(): Map<string, string> {
    const cluster = this.engine.clusterConfiguration;
    const options = new Map(Object.entries(cluster.getConfiguration().toMap()));
    options.set('local.number-taskmanager', String(cluster.getNumTaskManagers()));
    options.set('taskmanager.numberOfTaskSlots', String(cluster.getNumSlotsPerTaskManager()));
    return new Map([...options].sort(([a], [b]) => a.localeCompare(b)));
  }
}
