import type { AllocationID, JobID, ResourceID, ResourceManagerId } from '../core/ids.js';
import { SlotID } from '../core/ids.js';
import { ResourceProfile } from '../core/resource-profile.js';
import type { SlotReport } from '../taskexecutor/slot-types.js';
import type { TaskExecutorGateway } from '../taskexecutor/task-executor-gateway.js';
import type { SlotRequest } from './resource-manager-gateway.js';

type SlotState = 'FREE' | 'PENDING' | 'ALLOCATED';

interface TaskManagerSlot {
  readonly slotId: SlotID;
  readonly profile: ResourceProfile;
  readonly gateway: TaskExecutorGateway;
  state: SlotState;
  allocationId: AllocationID | undefined;
  jobId: JobID | undefined;
}

/**
 * The ResourceManager's view of every TaskExecutor slot (Flink's SlotManager): it matches slot
 * requests to free slots in arrival order, asks the TaskExecutor to allocate, keeps requests that
 * cannot be served yet until a slot frees up or a TaskExecutor registers, and re-queues requests
 * whose slot was lost.
 */
export class SlotManager {
  private readonly slots = new Map<string, TaskManagerSlot>();
  private readonly pendingRequests = new Map<AllocationID, SlotRequest>();
  private readonly requestsInFlight = new Map<AllocationID, SlotRequest>();

  constructor(private readonly resourceManagerId: ResourceManagerId) {}

  registerTaskManager(gateway: TaskExecutorGateway, report: SlotReport): void {
    for (const status of report.slots) {
      const allocated = status.allocationId !== undefined;
      this.slots.set(SlotID.key(status.slotId), {
        slotId: status.slotId,
        profile: ResourceProfile.fromJson(status.resourceProfile),
        gateway,
        state: allocated ? 'ALLOCATED' : 'FREE',
        allocationId: status.allocationId,
        jobId: status.jobId,
      });
    }
    this.serveFreeSlots();
  }

  unregisterTaskManager(resourceId: ResourceID): void {
    for (const [key, slot] of this.slots) {
      if (slot.slotId.resourceId !== resourceId) continue;
      this.slots.delete(key);
      if (slot.state === 'PENDING' && slot.allocationId !== undefined) this.requeue(slot.allocationId);
    }
  }

  /** Queues a request and serves it at once if a slot is free. Duplicates are ignored. */
  registerSlotRequest(request: SlotRequest): void {
    if (this.pendingRequests.has(request.allocationId) || this.requestsInFlight.has(request.allocationId))
      return;
    for (const slot of this.slots.values()) if (slot.allocationId === request.allocationId) return;
    this.pendingRequests.set(request.allocationId, request);
    this.serveFreeSlots();
  }

  unregisterSlotRequest(allocationId: AllocationID): void {
    this.pendingRequests.delete(allocationId);
    this.requestsInFlight.delete(allocationId);
  }

  /** Drops the pending requests of a job whose JobMaster went away. */
  cancelRequestsOfJob(jobId: JobID): void {
    for (const [allocationId, request] of this.pendingRequests)
      if (request.jobId === jobId) this.pendingRequests.delete(allocationId);
  }

  freeSlot(slotId: SlotID, allocationId: AllocationID): void {
    const slot = this.slots.get(SlotID.key(slotId));
    if (slot === undefined || slot.allocationId !== allocationId) return;
    slot.state = 'FREE';
    slot.allocationId = undefined;
    slot.jobId = undefined;
    this.serveFreeSlots();
  }

  getNumberOfRegisteredSlots(): number {
    return this.slots.size;
  }
  getNumberOfFreeSlots(): number {
    let free = 0;
    for (const slot of this.slots.values()) if (slot.state === 'FREE') free++;
    return free;
  }
  getNumberOfFreeSlotsOf(resourceId: ResourceID): number {
    let free = 0;
    for (const slot of this.slots.values())
      if (slot.slotId.resourceId === resourceId && slot.state === 'FREE') free++;
    return free;
  }
  getNumberOfPendingRequests(): number {
    return this.pendingRequests.size;
  }

  private serveFreeSlots(): void {
    for (const request of [...this.pendingRequests.values()]) {
      const profile = ResourceProfile.fromJson(request.resourceProfile);
      const slot = [...this.slots.values()].find((s) => s.state === 'FREE' && s.profile.isMatching(profile));
      if (slot === undefined) continue;
      this.pendingRequests.delete(request.allocationId);
      this.allocate(slot, request);
    }
  }

  private allocate(slot: TaskManagerSlot, request: SlotRequest): void {
    slot.state = 'PENDING';
    slot.allocationId = request.allocationId;
    slot.jobId = request.jobId;
    this.requestsInFlight.set(request.allocationId, request);
    slot.gateway
      .requestSlot(
        slot.slotId,
        request.jobId,
        request.allocationId,
        request.resourceProfile,
        request.targetAddress,
        this.resourceManagerId,
      )
      .then(
        () => {
          this.requestsInFlight.delete(request.allocationId);
          if (slot.allocationId === request.allocationId) slot.state = 'ALLOCATED';
        },
        () => {
          // The TaskExecutor refused (slot taken meanwhile, or gone): try another slot.
          if (slot.allocationId === request.allocationId) {
            slot.state = 'FREE';
            slot.allocationId = undefined;
            slot.jobId = undefined;
          }
          this.requeue(request.allocationId);
        },
      );
  }

  private requeue(allocationId: AllocationID): void {
    const request = this.requestsInFlight.get(allocationId);
    if (request === undefined) return;
    this.requestsInFlight.delete(allocationId);
    this.pendingRequests.set(allocationId, request);
    this.serveFreeSlots();
  }
}
