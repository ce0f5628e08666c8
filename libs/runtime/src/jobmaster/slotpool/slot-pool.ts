import { deferred } from '../../core/async.js';
import type { Deferred } from '../../core/async.js';
import type { ScheduledExecutor, ScheduledTask } from '../../core/clock.js';
import { ComponentClosedError, EddyError, SerializedError } from '../../core/errors.js';
import { AllocationID } from '../../core/ids.js';
import type { JobID, JobMasterId, ResourceID } from '../../core/ids.js';
import { ResourceProfile } from '../../core/resource-profile.js';
import type { TaskManagerLocation } from '../../core/task-manager-location.js';
import type { ResourceManagerGateway } from '../../resourcemanager/resource-manager-gateway.js';
import type { SlotOffer } from '../../taskexecutor/slot-types.js';
import type { TaskExecutorGateway } from '../../taskexecutor/task-executor-gateway.js';

/**
 * The cluster could not provide a slot in time (Flink's NoResourceAvailableException). A
 * restartable failure: with restarts configured the job tries again.
 */
export class NoResourceAvailableError extends EddyError {}

/** A slot of a TaskExecutor allocated to this job. */
export interface PhysicalSlot {
  readonly allocationId: AllocationID;
  readonly location: TaskManagerLocation;
  readonly gateway: TaskExecutorGateway;
  readonly resourceProfile: ResourceProfile;
  readonly slotIndex: number;
}

interface PendingRequest {
  readonly allocationId: AllocationID;
  readonly resourceProfile: ResourceProfile;
  readonly result: Deferred<PhysicalSlot>;
  readonly timer: ScheduledTask;
}

export interface SlotPoolOptions {
  readonly jobId: JobID;
  readonly jobMasterId: JobMasterId;
  /** `slot.request.timeout`: how long a request may stay unfulfilled. */
  readonly slotRequestTimeoutMs: number;
  readonly executor: ScheduledExecutor;
  /** Connects to a TaskExecutor that offers slots. */
  readonly connectTaskExecutor: (address: string) => Promise<TaskExecutorGateway>;
}

/**
 * The slots a JobMaster holds (Flink's SlotPool): it asks the ResourceManager for new ones, takes
 * the offers TaskExecutors make, hands free slots out again before asking for more, fails
 * requests that wait longer than `slot.request.timeout`, and frees every slot when the job ends.
 */
export class SlotPool {
  private resourceManager: ResourceManagerGateway | undefined;
  private readonly pending = new Map<AllocationID, PendingRequest>();
  private readonly allocated = new Map<AllocationID, PhysicalSlot>();
  private readonly free = new Set<AllocationID>();
  private closed = false;
  private jobMasterAddress = '';

  constructor(private readonly options: SlotPoolOptions) {}

  /** The address TaskExecutors offer this pool's slots to (known once the JobMaster serves RPCs). */
  setJobMasterAddress(address: string): void {
    this.jobMasterAddress = address;
  }

  /** Connects the pool to the ResourceManager leader; requests made before are sent now. */
  connectToResourceManager(resourceManager: ResourceManagerGateway): void {
    this.resourceManager = resourceManager;
    for (const request of this.pending.values()) this.sendRequest(request);
  }

  /** A free slot that fits `profile`, or a new one from the ResourceManager. */
  requestSlot(profile: ResourceProfile): Promise<PhysicalSlot> {
    if (this.closed) return Promise.reject(new ComponentClosedError('The slot pool is closed.'));
    for (const allocationId of this.free) {
      const slot = this.allocated.get(allocationId);
      if (slot !== undefined && slot.resourceProfile.isMatching(profile)) {
        this.free.delete(allocationId);
        return Promise.resolve(slot);
      }
    }
    const allocationId = AllocationID.generate();
    const result = deferred<PhysicalSlot>();
    const timeoutMs = this.options.slotRequestTimeoutMs;
    const timer = this.options.executor.schedule(() => {
      this.failRequest(
        allocationId,
        new NoResourceAvailableError(
          `Slot request timeout: could not acquire a slot with ${profile.toString()} within ${timeoutMs} ms ` +
            `(slot.request.timeout). The cluster may not have enough free slots for this job.`,
        ),
      );
    }, timeoutMs);
    const request: PendingRequest = { allocationId, resourceProfile: profile, result, timer };
    this.pending.set(allocationId, request);
    if (this.resourceManager !== undefined) this.sendRequest(request);
    return result.promise;
  }

  /** Takes the slots a TaskExecutor offers: those requested, or any that can serve a pending request. */
  async offerSlots(location: TaskManagerLocation, offers: readonly SlotOffer[]): Promise<SlotOffer[]> {
    if (this.closed) return [];
    const gateway = await this.options.connectTaskExecutor(location.address);
    // No await below: a request found waiting is completed before anything else can touch it.
    if (this.isClosed()) return [];
    const accepted: SlotOffer[] = [];
    for (const offer of offers) {
      if (this.allocated.has(offer.allocationId)) {
        accepted.push(offer);
        continue;
      }
      const request = this.pending.get(offer.allocationId) ?? this.anyPendingRequestFor(offer);
      if (request === undefined) continue;
      const slot: PhysicalSlot = {
        allocationId: offer.allocationId,
        location,
        gateway,
        resourceProfile: ResourceProfile.fromJson(offer.resourceProfile),
        slotIndex: offer.slotIndex,
      };
      this.allocated.set(offer.allocationId, slot);
      this.completeRequest(request, slot);
      accepted.push(offer);
    }
    return accepted;
  }

  /** The job is done with a slot for now: it serves the oldest waiting request it fits, or the next one. */
  returnSlot(allocationId: AllocationID): void {
    const slot = this.allocated.get(allocationId);
    if (slot === undefined) return;
    for (const request of this.pending.values()) {
      if (slot.resourceProfile.isMatching(request.resourceProfile)) {
        this.free.delete(allocationId);
        this.completeRequest(request, slot);
        return;
      }
    }
    this.free.add(allocationId);
  }

  /** The TaskExecutor is gone: drop its slots; returns the allocation IDs lost. */
  releaseTaskManager(resourceId: ResourceID): AllocationID[] {
    const lost: AllocationID[] = [];
    for (const [allocationId, slot] of this.allocated) {
      if (slot.location.resourceId !== resourceId) continue;
      this.allocated.delete(allocationId);
      this.free.delete(allocationId);
      lost.push(allocationId);
    }
    return lost;
  }

  /** Read through a method so that checks after an await are not narrowed away. */
  isClosed(): boolean {
    return this.closed;
  }

  getNumberOfAllocatedSlots(): number {
    return this.allocated.size;
  }
  getNumberOfFreeSlots(): number {
    return this.free.size;
  }
  getNumberOfPendingRequests(): number {
    return this.pending.size;
  }

  /** Fails pending requests and gives every slot back to its TaskExecutor. */
  async close(cause: Error): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const allocationId of [...this.pending.keys()]) this.failRequest(allocationId, cause);
    const slots = [...this.allocated.values()];
    this.allocated.clear();
    this.free.clear();
    await Promise.allSettled(
      slots.map((slot) => slot.gateway.freeSlot(slot.allocationId, SerializedError.from(cause))),
    );
  }

  private sendRequest(request: PendingRequest): void {
    const rm = this.resourceManager;
    if (rm === undefined) return;
    rm.requestSlot(this.options.jobMasterId, {
      jobId: this.options.jobId,
      allocationId: request.allocationId,
      resourceProfile: request.resourceProfile.toJson(),
      targetAddress: this.jobMasterAddress,
    }).catch((error: unknown) => {
      this.failRequest(
        request.allocationId,
        new NoResourceAvailableError(
          `The ResourceManager refused the slot request: ${(error as Error).message}`,
          { cause: error },
        ),
      );
    });
  }

  private anyPendingRequestFor(offer: SlotOffer): PendingRequest | undefined {
    const profile = ResourceProfile.fromJson(offer.resourceProfile);
    for (const request of this.pending.values())
      if (profile.isMatching(request.resourceProfile)) return request;
    return undefined;
  }

  private completeRequest(request: PendingRequest, slot: PhysicalSlot): void {
    request.timer.cancel();
    this.pending.delete(request.allocationId);
    if (request.allocationId !== slot.allocationId)
      void this.resourceManager?.cancelSlotRequest(request.allocationId).catch(() => undefined);
    request.result.resolve(slot);
  }

  private failRequest(allocationId: AllocationID, cause: Error): void {
    const request = this.pending.get(allocationId);
    if (request === undefined) return;
    request.timer.cancel();
    this.pending.delete(allocationId);
    void this.resourceManager?.cancelSlotRequest(allocationId).catch(() => undefined);
    request.result.reject(cause);
  }
}
