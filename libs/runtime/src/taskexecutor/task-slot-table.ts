import { EddyError } from '../core/errors.js';
import type { AllocationID, ExecutionAttemptID, JobID, ResourceID } from '../core/ids.js';
import type { ResourceProfile } from '../core/resource-profile.js';
import type { SlotReport } from './slot-types.js';

/**
 * The slot is allocated to another allocation (Flink's SlotOccupiedException). Carries the holder,
 * if any, so that the ResourceManager can record who has the slot instead of offering it again.
 */
export class SlotOccupiedError extends EddyError {
  constructor(
    message: string,
    readonly allocationId?: AllocationID,
    readonly jobId?: JobID,
  ) {
    super(message);
  }
}

/** No active slot of this job holds the allocation (Flink's TaskSubmissionException). */
export class SlotNotActiveError extends EddyError {}

type TaskSlotState = 'ALLOCATED' | 'ACTIVE';

interface TaskSlot {
  readonly index: number;
  readonly allocationId: AllocationID;
  readonly jobId: JobID;
  state: TaskSlotState;
  readonly tasks: Set<ExecutionAttemptID>;
}

/**
 * The slots of one TaskExecutor (Flink's TaskSlotTable): a slot is FREE, ALLOCATED to a job's
 * allocation by the ResourceManager, or ACTIVE once the job's JobMaster accepted it. Tasks run only
 * in ACTIVE slots of their own job.
 */
export class TaskSlotTable {
  private readonly slots: (TaskSlot | undefined)[];

  constructor(
    private readonly resourceId: ResourceID,
    numberOfSlots: number,
    private readonly slotProfile: ResourceProfile,
  ) {
    this.slots = new Array<TaskSlot | undefined>(numberOfSlots).fill(undefined);
  }

  getNumberOfSlots(): number {
    return this.slots.length;
  }

  /**
   * Allocates slot `index` to `allocationId`. Re-allocating to the same allocation is a no-op; a
   * slot held by another allocation throws SlotOccupiedError.
   */
  allocateSlot(index: number, jobId: JobID, allocationId: AllocationID): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.slots.length) {
      throw new SlotOccupiedError(`This TaskExecutor has no slot ${index}.`);
    }
    const existing = this.slots[index];
    if (existing !== undefined) {
      if (existing.allocationId === allocationId && existing.jobId === jobId) return;
      throw new SlotOccupiedError(
        `Slot ${index} is already allocated to ${existing.allocationId} of job ${existing.jobId}.`,
        existing.allocationId,
        existing.jobId,
      );
    }
    if (this.findByAllocation(allocationId) !== undefined) {
      throw new SlotOccupiedError(`Allocation ${allocationId} already holds another slot.`);
    }
    this.slots[index] = { index, allocationId, jobId, state: 'ALLOCATED', tasks: new Set() };
  }

  markSlotActive(allocationId: AllocationID): boolean {
    const slot = this.findByAllocation(allocationId);
    if (slot === undefined) return false;
    slot.state = 'ACTIVE';
    return true;
  }

  /** Frees the slot; returns its index and the tasks that still ran in it. */
  freeSlot(allocationId: AllocationID): { index: number; tasks: ExecutionAttemptID[] } | undefined {
    const slot = this.findByAllocation(allocationId);
    if (slot === undefined) return undefined;
    this.slots[slot.index] = undefined;
    return { index: slot.index, tasks: [...slot.tasks] };
  }

  /** @throws SlotNotActiveError unless an ACTIVE slot of `jobId` holds `allocationId` */
  addTask(jobId: JobID, allocationId: AllocationID, executionId: ExecutionAttemptID): void {
    const slot = this.findByAllocation(allocationId);
    if (slot?.jobId !== jobId || slot.state !== 'ACTIVE') {
      throw new SlotNotActiveError(`No active slot of job ${jobId} holds allocation ${allocationId}.`);
    }
    slot.tasks.add(executionId);
  }

  removeTask(allocationId: AllocationID, executionId: ExecutionAttemptID): void {
    this.findByAllocation(allocationId)?.tasks.delete(executionId);
  }

  getSlotIndex(allocationId: AllocationID): number | undefined {
    return this.findByAllocation(allocationId)?.index;
  }

  getAllocationsOfJob(jobId: JobID): AllocationID[] {
    return this.slots.filter((slot) => slot?.jobId === jobId).map((slot) => (slot as TaskSlot).allocationId);
  }

  getNumberOfFreeSlots(): number {
    return this.slots.filter((slot) => slot === undefined).length;
  }

  createSlotReport(): SlotReport {
    return {
      resourceId: this.resourceId,
      slots: this.slots.map((slot, index) => ({
        slotId: { resourceId: this.resourceId, slotNumber: index },
        resourceProfile: this.slotProfile.toJson(),
        ...(slot !== undefined ? { allocationId: slot.allocationId, jobId: slot.jobId } : {}),
      })),
    };
  }

  private findByAllocation(allocationId: AllocationID): TaskSlot | undefined {
    return this.slots.find((slot) => slot?.allocationId === allocationId);
  }
}
