import { availableParallelism, freemem, totalmem } from 'node:os';
import type { ResourceProfileJson, TaskManagerInfo } from '@eddy/runtime';
import type { ResponseBody } from '../common/dto/response-body.js';
import type { ResourceProfileInfoDto, TaskManagerInfoDto } from './dto/task-manager-info.dto.js';

function toResourceProfileInfo(profile: ResourceProfileJson): ResponseBody<ResourceProfileInfoDto> {
  return {
    cpuCores: profile.cpuCores,
    taskHeapMemory: profile.taskHeapMemory,
    taskOffHeapMemory: profile.taskOffHeapMemory,
    managedMemory: profile.managedMemory,
    networkMemory: profile.networkMemory,
    extendedResources: {},
  };
}

/**
 * Flink's TaskManagerInfo. The TaskExecutors run in this process: their hardware is this host's,
 * and their heartbeat is now.
 */
export function toTaskManagerInfo(info: TaskManagerInfo, now: number): ResponseBody<TaskManagerInfoDto> {
  return {
    id: info.resourceId,
    path: info.location.address,
    dataPort: info.location.dataPort,
    jmxPort: -1,
    timeSinceLastHeartbeat: now,
    slotsNumber: info.numberOfSlots,
    freeSlots: info.numberOfFreeSlots,
    totalResource: toResourceProfileInfo(info.totalResourceProfile),
    freeResource: toResourceProfileInfo(info.freeResourceProfile),
    hardware: {
      cpuCores: availableParallelism(),
      physicalMemory: totalmem(),
      freeMemory: freemem(),
      managedMemory: info.totalResourceProfile.managedMemory,
    },
    memoryConfiguration: {},
    blocked: false,
  };
}
