import type { AllocationID } from '../core/ids.js';
import { ResourceProfile } from '../core/resource-profile.js';
import type { ExecutionVertex } from '../executiongraph/execution-vertex.js';
import type { PhysicalSlot, SlotPool } from '../jobmaster/slotpool/slot-pool.js';

interface SharedSlot {
  readonly slot: Promise<PhysicalSlot>;
  allocationId: AllocationID | undefined;
  readonly users: Set<ExecutionVertex>;
}

/**
 * Gives executions slots the way Flink's default slot sharing does: subtask i of every vertex in
 * the same slot sharing group shares one slot, so a job of parallelism 4 needs 4 slots however
 * many vertices it has. A slot goes back to the pool when its last execution ends.
 */
export class SlotSharingExecutionSlotAllocator {
  private readonly sharedSlots = new Map<string, SharedSlot>();

  constructor(private readonly slotPool: SlotPool) {}

  allocateSlotFor(vertex: ExecutionVertex): Promise<PhysicalSlot> {
    const key = sharingKey(vertex);
    let shared = this.sharedSlots.get(key);
    if (shared === undefined) {
      const profile = vertex.getJobVertex().getJobVertex().getMinResources();
      const slot = this.slotPool.requestSlot(profile.isUnknown() ? ResourceProfile.ANY : profile);
      const created: SharedSlot = { slot, allocationId: undefined, users: new Set() };
      shared = created;
      this.sharedSlots.set(key, created);
      slot.then(
        (physical) => {
          created.allocationId = physical.allocationId;
          if (created.users.size === 0 && this.sharedSlots.get(key) !== created)
            this.slotPool.returnSlot(physical.allocationId);
        },
        () => {
          if (this.sharedSlots.get(key) === created) this.sharedSlots.delete(key);
        },
      );
    }
    shared.users.add(vertex);
    return shared.slot;
  }

  /** The vertex's execution ended: when no execution uses the slot any more it returns to the pool. */
  release(vertex: ExecutionVertex): void {
    const key = sharingKey(vertex);
    const shared = this.sharedSlots.get(key);
    if (shared === undefined || !shared.users.delete(vertex) || shared.users.size > 0) return;
    this.sharedSlots.delete(key);
    if (shared.allocationId !== undefined) this.slotPool.returnSlot(shared.allocationId);
  }

  /** A slot was lost with its TaskExecutor: forget it so new attempts ask for a new one. */
  forgetAllocations(allocationIds: readonly AllocationID[]): void {
    const lost = new Set(allocationIds);
    for (const [key, shared] of this.sharedSlots) {
      if (shared.allocationId !== undefined && lost.has(shared.allocationId)) this.sharedSlots.delete(key);
    }
  }
}

function sharingKey(vertex: ExecutionVertex): string {
  return `${vertex.getJobVertex().getJobVertex().getSlotSharingGroup()}#${vertex.getParallelSubtaskIndex()}`;
}
