import type { CheckpointOptions } from '../checkpoint/checkpoint-types.js';
import type { Acknowledge } from '../core/async.js';
import type { SerializedError } from '../core/errors.js';
import type {
  AllocationID,
  ExecutionAttemptID,
  JobID,
  JobMasterId,
  ResourceManagerId,
  ResultPartitionID,
  SlotID,
} from '../core/ids.js';
import type { ResourceProfileJson } from '../core/resource-profile.js';
import type { TaskDeploymentDescriptor } from '../deployment/task-deployment-descriptor.js';
import type { SlotReport } from './slot-types.js';

/** How JobMasters and the ResourceManager talk to a TaskExecutor (Flink's TaskExecutorGateway). */
export interface TaskExecutorGateway {
  /**
   * The ResourceManager assigns slot `slotId` to `allocationId` of job `jobId`; the TaskExecutor
   * then offers it to the JobMaster at `targetAddress`. Rejects if the slot is taken by another
   * allocation.
   */
  requestSlot(
    slotId: SlotID,
    jobId: JobID,
    allocationId: AllocationID,
    resourceProfile: ResourceProfileJson,
    targetAddress: string,
    resourceManagerId: ResourceManagerId,
  ): Promise<Acknowledge>;
  /** Starts a task in an active slot of its job; `jobMasterId` must be the leader's it offered to. */
  submitTask(tdd: TaskDeploymentDescriptor, jobMasterId: JobMasterId): Promise<Acknowledge>;
  /** Cancels a task; acknowledged at once, the final state is reported to the JobMaster. */
  cancelTask(executionAttemptId: ExecutionAttemptID): Promise<Acknowledge>;
  /** Frees a slot; tasks still in it fail with `cause`. */
  freeSlot(allocationId: AllocationID, cause?: SerializedError): Promise<Acknowledge>;
  /** Releases result partitions produced here (for example BLOCKING results of an ended job). */
  releasePartitions(jobId: JobID, partitionIds: readonly ResultPartitionID[]): Promise<void>;
  requestSlotReport(): Promise<SlotReport>;
  /** Asks a source task to take a snapshot (Flink's triggerCheckpoint). Declines reach the JobMaster. */
  triggerCheckpoint(
    executionAttemptId: ExecutionAttemptID,
    checkpointId: number,
    checkpointTimestamp: number,
    checkpointOptions: CheckpointOptions,
  ): Promise<Acknowledge>;
  /** Checkpoint `checkpointId` completed (Flink's confirmCheckpoint). */
  confirmCheckpoint(
    executionAttemptId: ExecutionAttemptID,
    checkpointId: number,
    checkpointTimestamp: number,
  ): Promise<Acknowledge>;
  abortCheckpoint(
    executionAttemptId: ExecutionAttemptID,
    checkpointId: number,
    latestCompletedCheckpointId: number,
  ): Promise<Acknowledge>;
}
