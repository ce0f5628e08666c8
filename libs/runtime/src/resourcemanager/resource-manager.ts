import { Acknowledge } from '../core/async.js';
import type { Clock } from '../core/clock.js';
import { SystemClock } from '../core/clock.js';
import { EddyError } from '../core/errors.js';
import type { SerializedError } from '../core/errors.js';
import { ResourceID, ResourceManagerId } from '../core/ids.js';
import type { AllocationID, JobID, JobMasterId, SlotID } from '../core/ids.js';
import { ResourceProfile } from '../core/resource-profile.js';
import type { ResourceProfileJson } from '../core/resource-profile.js';
import type { TaskManagerLocation } from '../core/task-manager-location.js';
import type { RpcService } from '../rpc/rpc-service.js';
import type { SlotReport } from '../taskexecutor/slot-types.js';
import type { TaskExecutorGateway } from '../taskexecutor/task-executor-gateway.js';
import type {
  RegistrationResponse,
  ResourceManagerGateway,
  SlotRequest,
  TaskManagerInfo,
} from './resource-manager-gateway.js';
import { SlotManager } from './slot-manager.js';

/** A request came from a JobMaster that is not (or no longer) the registered leader of its job. */
export class UnknownJobMasterError extends EddyError {}

interface RegisteredTaskExecutor {
  readonly address: string;
  readonly gateway: TaskExecutorGateway;
  readonly location: TaskManagerLocation;
  readonly totalResourceProfile: ResourceProfileJson;
  readonly numberOfSlots: number;
  readonly registeredAt: number;
}

/**
 * The cluster's ResourceManager (Flink's standalone ResourceManager): TaskExecutors register
 * their slots with it, JobMasters register and request slots, and its SlotManager hands slots out.
 * A slot request from a JobMaster that is not the registered one for its job is refused (fencing).
 */
export class ResourceManager implements ResourceManagerGateway {
  readonly resourceManagerId = ResourceManagerId.generate();
  readonly resourceId = ResourceID.generate();
  private readonly slotManager = new SlotManager(this.resourceManagerId);
  private readonly jobMasters = new Map<JobID, { jobMasterId: JobMasterId; address: string }>();
  private readonly taskExecutors = new Map<ResourceID, RegisteredTaskExecutor>();
  private address: string | undefined;

  constructor(
    private readonly rpcService: RpcService,
    private readonly clock: Clock = SystemClock,
  ) {}

  /** Starts serving RPCs; returns the address JobMasters and TaskExecutors connect to. */
  start(): string {
    this.address ??= this.rpcService.startServer('resourcemanager', this);
    return this.address;
  }

  getAddress(): string | undefined {
    return this.address;
  }

  registerJobMaster(
    jobMasterId: JobMasterId,
    _resourceId: ResourceID,
    address: string,
    jobId: JobID,
  ): Promise<RegistrationResponse> {
    this.jobMasters.set(jobId, { jobMasterId, address });
    return Promise.resolve(this.success());
  }

  async registerTaskExecutor(
    address: string,
    location: TaskManagerLocation,
    slotReport: SlotReport,
    totalResourceProfile: ResourceProfileJson,
  ): Promise<RegistrationResponse> {
    const gateway = await this.rpcService.connect<TaskExecutorGateway>(address);
    if (this.taskExecutors.has(location.resourceId))
      this.slotManager.unregisterTaskManager(location.resourceId);
    this.taskExecutors.set(location.resourceId, {
      address,
      gateway,
      location,
      totalResourceProfile,
      numberOfSlots: slotReport.slots.length,
      registeredAt: this.clock.absoluteTimeMillis(),
    });
    this.slotManager.registerTaskManager(gateway, slotReport);
    return this.success();
  }

  requestSlot(jobMasterId: JobMasterId, slotRequest: SlotRequest): Promise<Acknowledge> {
    const registered = this.jobMasters.get(slotRequest.jobId);
    if (registered?.jobMasterId !== jobMasterId) {
      return Promise.reject(
        new UnknownJobMasterError(
          `JobMaster ${jobMasterId} is not the registered leader of job ${slotRequest.jobId}.`,
        ),
      );
    }
    this.slotManager.registerSlotRequest(slotRequest);
    return Promise.resolve(Acknowledge.get());
  }

  cancelSlotRequest(allocationId: AllocationID): Promise<void> {
    this.slotManager.unregisterSlotRequest(allocationId);
    return Promise.resolve();
  }

  notifySlotAvailable(
    _taskExecutorId: ResourceID,
    slotId: SlotID,
    allocationId: AllocationID,
  ): Promise<void> {
    this.slotManager.freeSlot(slotId, allocationId);
    return Promise.resolve();
  }

  disconnectJobManager(jobId: JobID, jobMasterId: JobMasterId): Promise<void> {
    if (this.jobMasters.get(jobId)?.jobMasterId === jobMasterId) {
      this.jobMasters.delete(jobId);
      this.slotManager.cancelRequestsOfJob(jobId);
    }
    return Promise.resolve();
  }

  disconnectTaskManager(resourceId: ResourceID, _cause: SerializedError): Promise<void> {
    if (this.taskExecutors.delete(resourceId)) this.slotManager.unregisterTaskManager(resourceId);
    return Promise.resolve();
  }

  requestTaskManagerInfo(): Promise<TaskManagerInfo[]> {
    return Promise.resolve(
      [...this.taskExecutors.values()].map((te) => {
        const total = ResourceProfile.fromJson(te.totalResourceProfile);
        const free = this.slotManager.getNumberOfFreeSlotsOf(te.location.resourceId);
        const freeProfile = te.numberOfSlots === 0 ? total : total.divide(te.numberOfSlots);
        let freeTotal = ResourceProfile.ZERO;
        for (let i = 0; i < free; i++) freeTotal = freeTotal.merge(freeProfile);
        return {
          resourceId: te.location.resourceId,
          location: te.location,
          registeredAt: te.registeredAt,
          numberOfSlots: te.numberOfSlots,
          numberOfFreeSlots: free,
          totalResourceProfile: te.totalResourceProfile,
          freeResourceProfile: freeTotal.toJson(),
        };
      }),
    );
  }

  getNumberOfRegisteredTaskExecutors(): number {
    return this.taskExecutors.size;
  }
  getNumberOfRegisteredSlots(): number {
    return this.slotManager.getNumberOfRegisteredSlots();
  }
  getNumberOfFreeSlots(): number {
    return this.slotManager.getNumberOfFreeSlots();
  }

  closeAsync(): Promise<void> {
    if (this.address !== undefined) this.rpcService.stopServer(this.address);
    return Promise.resolve();
  }

  private success(): RegistrationResponse {
    return {
      type: 'success',
      resourceManagerId: this.resourceManagerId,
      resourceManagerResourceId: this.resourceId,
    };
  }
}
