import type { Acknowledge } from '../core/async.js';
import type { SerializedError } from '../core/errors.js';
import type { AllocationID, JobID, JobMasterId, ResourceID, ResourceManagerId, SlotID } from '../core/ids.js';
import type { ResourceProfileJson } from '../core/resource-profile.js';
import type { TaskManagerLocation } from '../core/task-manager-location.js';
import type { SlotReport } from '../taskexecutor/slot-types.js';

/** A JobMaster's request for one slot (Flink's SlotRequest). */
export interface SlotRequest {
  readonly jobId: JobID;
  readonly allocationId: AllocationID;
  readonly resourceProfile: ResourceProfileJson;
  /** Address of the JobMaster the slot is offered to. */
  readonly targetAddress: string;
}

export type RegistrationResponse =
  | {
      readonly type: 'success';
      readonly resourceManagerId: ResourceManagerId;
      readonly resourceManagerResourceId: ResourceID;
    }
  | { readonly type: 'rejection'; readonly reason: string };

/** What the ResourceManager knows of a registered TaskExecutor (for REST and the dashboard). */
export interface TaskManagerInfo {
  readonly resourceId: ResourceID;
  readonly location: TaskManagerLocation;
  readonly registeredAt: number;
  readonly numberOfSlots: number;
  readonly numberOfFreeSlots: number;
  readonly totalResourceProfile: ResourceProfileJson;
  readonly freeResourceProfile: ResourceProfileJson;
}

/** How JobMasters and TaskExecutors talk to the ResourceManager (Flink's ResourceManagerGateway). */
export interface ResourceManagerGateway {
  registerJobMaster(
    jobMasterId: JobMasterId,
    jobMasterResourceId: ResourceID,
    jobMasterAddress: string,
    jobId: JobID,
  ): Promise<RegistrationResponse>;
  registerTaskExecutor(
    taskExecutorAddress: string,
    location: TaskManagerLocation,
    slotReport: SlotReport,
    totalResourceProfile: ResourceProfileJson,
  ): Promise<RegistrationResponse>;
  /** Allocates a slot for a registered JobMaster; pending until a slot is free. */
  requestSlot(jobMasterId: JobMasterId, slotRequest: SlotRequest): Promise<Acknowledge>;
  /** Withdraws a pending request (the JobMaster timed out or no longer needs it). */
  cancelSlotRequest(allocationId: AllocationID): Promise<void>;
  /** A TaskExecutor freed a slot. */
  notifySlotAvailable(taskExecutorId: ResourceID, slotId: SlotID, allocationId: AllocationID): Promise<void>;
  disconnectJobManager(jobId: JobID, jobMasterId: JobMasterId, cause?: SerializedError): Promise<void>;
  disconnectTaskManager(resourceId: ResourceID, cause: SerializedError): Promise<void>;
  requestTaskManagerInfo(): Promise<TaskManagerInfo[]>;
}
