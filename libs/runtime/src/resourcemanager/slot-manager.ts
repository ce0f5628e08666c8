import type { AllocationID, JobID, ResourceID, ResourceManagerId } from '../core/ids.js';
import { SlotID } from '../core/ids.js';
import { ResourceProfile } from '../core/resource-profile.js';
import type { SlotReport } from '../taskexecutor/slot-types.js';
import type { TaskExecutorGateway } from '../taskexecutor/task-executor-gateway.js';
import { SlotOccupiedError } from '../taskexecutor/task-slot-table.js';
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
 * whose slot was lost. A request a TaskExecutor refused goes to another slot: it is not sent back to
 * the slot that refused it until that slot is freed or its TaskExecutor registers again.
 */
export class SlotManager {
  private readonly slots = new Map<string, TaskManagerSlot>();
  private readonly pendingRequests = new Map<AllocationID, SlotRequest>();
  private readonly requestsInFlight = new Map<AllocationID, SlotRequest>();
  /** Per request, the keys of the slots that refused it. */
  private readonly refusals = new Map<AllocationID, Set<string>>();

  constructor(private readonly resourceManagerId: ResourceManagerId) {}

  registerTaskManager(gateway: TaskExecutorGateway, report: SlotReport): void {
    for (const status of report.slots) {
      const allocated = status.allocationId !== undefined;
      this.forgetRefusalsBy(SlotID.key(status.slotId));
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
    const lost: AllocationID[] = [];
    // Remove every slot first: a re-queued request must not land on another slot of this one.
    for (const [key, slot] of this.slots) {
      if (slot.slotId.resourceId !== resourceId) continue;
      this.slots.delete(key);
      if (slot.state === 'PENDING' && slot.allocationId !== undefined) lost.push(slot.allocationId);
    }
    for (const allocationId of lost) this.requeue(allocationId);
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
    this.refusals.delete(allocationId);
  }

  /** Drops the pending requests of a job whose JobMaster went away. */
  cancelRequestsOfJob(jobId: JobID): void {
    for (const [allocationId, request] of this.pendingRequests) {
      if (request.jobId !== jobId) continue;
      this.pendingRequests.delete(allocationId);
      this.refusals.delete(allocationId);
    }
  }

  freeSlot(slotId: SlotID, allocationId: AllocationID): void {
    const slot = this.slots.get(SlotID.key(slotId));
    if (slot === undefined || slot.allocationId !== allocationId) return;
    // A request still in flight here was served (its slot came back before the acknowledgement).
    this.requestsInFlight.delete(allocationId);
    this.refusals.delete(allocationId);
    slot.state = 'FREE';
    slot.allocationId = undefined;
    slot.jobId = undefined;
    this.forgetRefusalsBy(SlotID.key(slotId));
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
      const refused = this.refusals.get(request.allocationId);
      const slot = [...this.slots.values()].find(
        (s) =>
          s.state === 'FREE' && s.profile.isMatching(profile) && refused?.has(SlotID.key(s.slotId)) !== true,
      );
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
          // A late answer for a slot that moved on (its TaskExecutor left, or it was freed) is stale.
          if (!this.isPendingFor(slot, request.allocationId)) return;
          this.requestsInFlight.delete(request.allocationId);
          this.refusals.delete(request.allocationId);
          slot.state = 'ALLOCATED';
        },
        (error: unknown) => {
          if (!this.isPendingFor(slot, request.allocationId)) return;
          if (error instanceof SlotOccupiedError && error.allocationId !== undefined) {
            // The TaskExecutor knows better: the slot is the holder's until it reports it free.
            slot.state = 'ALLOCATED';
            slot.allocationId = error.allocationId;
            slot.jobId = error.jobId;
          } else {
            slot.state = 'FREE';
            slot.allocationId = undefined;
            slot.jobId = undefined;
          }
          const refused = this.refusals.get(request.allocationId) ?? new Set<string>();
          refused.add(SlotID.key(slot.slotId));
          this.refusals.set(request.allocationId, refused);
          this.requeue(request.allocationId);
        },
      );
  }

  private isPendingFor(slot: TaskManagerSlot, allocationId: AllocationID): boolean {
    return (
      this.slots.get(SlotID.key(slot.slotId)) === slot &&
      slot.state === 'PENDING' &&
      slot.allocationId === allocationId
    );
  }

  /** Moves a request in flight back to the queue (if it is still wanted) and serves what can be. */
  private requeue(allocationId: AllocationID): void {
    const request = this.requestsInFlight.get(allocationId);
    if (request !== undefined) {
      this.requestsInFlight.delete(allocationId);
      this.pendingRequests.set(allocationId, request);
    }
    this.serveFreeSlots();
  }

  private forgetRefusalsBy(slotKey: string): void {
    for (const refused of this.refusals.values()) refused.delete(slotKey);
  }
}
