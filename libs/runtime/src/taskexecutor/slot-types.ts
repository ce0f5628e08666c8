import type { AllocationID, JobID, ResourceID, SlotID } from '../core/ids.js';
import type { ResourceProfileJson } from '../core/resource-profile.js';

/** A TaskExecutor offers an allocated slot to a JobMaster (Flink's SlotOffer). */
export interface SlotOffer {
  readonly allocationId: AllocationID;
  readonly slotIndex: number;
  readonly resourceProfile: ResourceProfileJson;
}

/** The state of one slot, as a TaskExecutor reports it to the ResourceManager. */
export interface SlotStatus {
  readonly slotId: SlotID;
  readonly resourceProfile: ResourceProfileJson;
  /** The allocation holding the slot, if any. */
  readonly allocationId?: AllocationID;
  readonly jobId?: JobID;
}

/** All slots of a TaskExecutor (Flink's SlotReport). */
export interface SlotReport {
  readonly resourceId: ResourceID;
  readonly slots: readonly SlotStatus[];
}
