import { afterEach, describe, expect, it, vi } from 'vitest';

import { LibraryCacheManager } from '../../blob/library-cache-manager.js';
import { Acknowledge } from '../../core/async.js';
import { ManualClock } from '../../core/clock.js';
import { Configuration } from '../../core/configuration.js';
import { ComponentClosedError, EddyError, SerializedError } from '../../core/errors.js';
import { AllocationID, JobID, JobMasterId, ResourceID } from '../../core/ids.js';
import { MemorySize } from '../../core/memory-size.js';
import { ResourceProfile } from '../../core/resource-profile.js';
import type { TaskManagerLocation } from '../../core/task-manager-location.js';
import type { ArchivedExecutionGraphJson } from '../../executiongraph/archived-execution-graph.js';
import type { JobStatus } from '../../executiongraph/job-status.js';
import { LocalShuffleEnvironment } from '../../io/network/local-shuffle-environment.js';
import { ResourceManager } from '../../resourcemanager/resource-manager.js';
import type { ResourceManagerGateway } from '../../resourcemanager/resource-manager-gateway.js';
import { LocalRpcService } from '../../rpc/rpc-service.js';
import type { SlotOffer } from '../../taskexecutor/slot-types.js';
import { TaskExecutor } from '../../taskexecutor/task-executor.js';
import type { TaskExecutorGateway } from '../../taskexecutor/task-executor-gateway.js';
import type { JobMasterGateway } from '../job-master-gateway.js';
import { NoResourceAvailableError, SlotPool } from './slot-pool.js';
import type { PhysicalSlot } from './slot-pool.js';

const TIMEOUT_MS = 10_000;
const SLOT_PROFILE = ResourceProfile.fromResources(1, MemorySize.ofMebiBytes(64));

/** The part of a JobMaster the slot pool needs: it takes the TaskExecutors' offers. */
class SlotOfferEndpoint implements JobMasterGateway {
  constructor(private readonly pool: SlotPool) {}
  triggerCheckpoint(): Promise<number> {
    return Promise.reject(new Error('not part of this test'));
  }
  triggerSavepoint(): Promise<string> {
    return Promise.reject(new Error('not part of this test'));
  }
  stopWithSavepoint(): Promise<string> {
    return Promise.reject(new Error('not part of this test'));
  }
  acknowledgeCheckpoint(): Promise<void> {
    return Promise.reject(new Error('not part of this test'));
  }
  declineCheckpoint(): Promise<void> {
    return Promise.reject(new Error('not part of this test'));
  }
  offerSlots(taskManager: TaskManagerLocation, offers: readonly SlotOffer[]): Promise<SlotOffer[]> {
    return this.pool.offerSlots(taskManager, offers);
  }
  updateTaskExecutionState(): Promise<boolean> {
    return Promise.resolve(false);
  }
  disconnectTaskManager(): Promise<Acknowledge> {
    return Promise.resolve(Acknowledge.get());
  }
  requestJobStatus(): Promise<JobStatus> {
    return Promise.reject(new EddyError('not in this test'));
  }
  requestJob(): Promise<ArchivedExecutionGraphJson> {
    return Promise.reject(new EddyError('not in this test'));
  }
  cancel(): Promise<Acknowledge> {
    return Promise.resolve(Acknowledge.get());
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

const taskExecutors: TaskExecutor[] = [];

afterEach(async () => {
  await Promise.all(taskExecutors.splice(0).map((te) => te.closeAsync()));
});

async function newSetup() {
  const rpc = new LocalRpcService();
  const clock = new ManualClock();
  const rm = new ResourceManager(rpc, clock);
  const rmAddress = rm.start();
  const rmGateway = await rpc.connect<ResourceManagerGateway>(rmAddress);
  const jobId = JobID.generate();
  const jobMasterId = JobMasterId.generate();
  const pool = new SlotPool({
    jobId,
    jobMasterId,
    slotRequestTimeoutMs: TIMEOUT_MS,
    executor: clock,
    connectTaskExecutor: (address) => rpc.connect<TaskExecutorGateway>(address),
  });
  const jmAddress = rpc.startServer('jobmanager', new SlotOfferEndpoint(pool));
  pool.setJobMasterAddress(jmAddress);
  await rmGateway.registerJobMaster(jobMasterId, ResourceID.generate(), jmAddress, jobId);

  const addTaskExecutor = async (numberOfSlots: number): Promise<TaskExecutor> => {
    const te = new TaskExecutor(
      rpc,
      {
        numberOfSlots,
        totalResourceProfile: ResourceProfile.fromResources(
          numberOfSlots,
          MemorySize.ofMebiBytes(64 * numberOfSlots),
        ),
      },
      new LocalShuffleEnvironment(new Configuration()),
      new LibraryCacheManager(),
      rmAddress,
    );
    taskExecutors.push(te);
    await te.start();
    return te;
  };
  return { rpc, clock, rm, rmGateway, jobId, pool, addTaskExecutor };
}

async function allocationsAt(te: TaskExecutor) {
  return (await te.requestSlotReport()).slots.flatMap((slot) =>
    slot.allocationId !== undefined ? [slot.allocationId] : [],
  );
}

describe('SlotPool', () => {
  it('resolves a request when a TaskExecutor offers the slot the ResourceManager allocated', async () => {
    const { rm, rmGateway, pool, jobId, addTaskExecutor } = await newSetup();
    const te = await addTaskExecutor(2);
    const rmRequest = vi.spyOn(rm, 'requestSlot');
    pool.connectToResourceManager(rmGateway);

    const slot = await pool.requestSlot(ResourceProfile.ANY);

    expect(rmRequest).toHaveBeenCalledTimes(1);
    expect(rmRequest.mock.calls[0]?.[1]).toMatchObject({ jobId, allocationId: slot.allocationId });
    expect(slot.location).toEqual(te.getLocation());
    expect(slot.resourceProfile.equals(SLOT_PROFILE)).toBe(true);
    expect(await allocationsAt(te)).toEqual([slot.allocationId]);
    expect(pool.getNumberOfAllocatedSlots()).toBe(1);
    expect(pool.getNumberOfPendingRequests()).toBe(0);
  });

  it('hands out a slot gateway that reaches the TaskExecutor', async () => {
    const { rmGateway, pool, addTaskExecutor } = await newSetup();
    const te = await addTaskExecutor(1);
    pool.connectToResourceManager(rmGateway);

    const slot = await pool.requestSlot(ResourceProfile.ANY);

    expect((await slot.gateway.requestSlotReport()).resourceId).toBe(te.resourceId);
  });

  it('sends requests made before it knew the ResourceManager once it connects', async () => {
    const { rmGateway, pool, addTaskExecutor } = await newSetup();
    await addTaskExecutor(1);
    let resolved = false;
    const request = pool.requestSlot(ResourceProfile.ANY).then((slot) => {
      resolved = true;
      return slot;
    });
    await settle();
    expect(resolved).toBe(false);

    pool.connectToResourceManager(rmGateway);

    await expect(request).resolves.toMatchObject({ slotIndex: 0 });
  });

  it('reuses a returned slot without asking the ResourceManager again', async () => {
    const { rm, rmGateway, pool, addTaskExecutor } = await newSetup();
    await addTaskExecutor(2);
    const rmRequest = vi.spyOn(rm, 'requestSlot');
    pool.connectToResourceManager(rmGateway);
    const first = await pool.requestSlot(ResourceProfile.ANY);

    pool.returnSlot(first.allocationId);
    expect(pool.getNumberOfFreeSlots()).toBe(1);
    const second = await pool.requestSlot(SLOT_PROFILE);

    expect(second.allocationId).toBe(first.allocationId);
    expect(rmRequest).toHaveBeenCalledTimes(1);
    expect(pool.getNumberOfFreeSlots()).toBe(0);
  });

  it('does not reuse a returned slot that is too small', async () => {
    const { rm, rmGateway, pool, addTaskExecutor } = await newSetup();
    await addTaskExecutor(1);
    const rmRequest = vi.spyOn(rm, 'requestSlot');
    pool.connectToResourceManager(rmGateway);
    const first = await pool.requestSlot(ResourceProfile.ANY);
    pool.returnSlot(first.allocationId);

    void pool
      .requestSlot(ResourceProfile.fromResources(2, MemorySize.ofMebiBytes(64)))
      .catch(() => undefined);
    await settle();

    expect(rmRequest).toHaveBeenCalledTimes(2);
    expect(pool.getNumberOfFreeSlots()).toBe(1);
  });

  it('gives a returned slot to a request that is waiting for one', async () => {
    const { rm, rmGateway, pool, addTaskExecutor } = await newSetup();
    await addTaskExecutor(1);
    const rmCancel = vi.spyOn(rm, 'cancelSlotRequest');
    pool.connectToResourceManager(rmGateway);
    const first = await pool.requestSlot(ResourceProfile.ANY);
    let served: PhysicalSlot | undefined;
    void pool.requestSlot(ResourceProfile.ANY).then((slot) => {
      served = slot;
    });
    await settle();
    expect(pool.getNumberOfPendingRequests()).toBe(1);

    pool.returnSlot(first.allocationId);
    await settle();

    expect(served?.allocationId).toBe(first.allocationId);
    expect(pool.getNumberOfPendingRequests()).toBe(0);
    expect(pool.getNumberOfFreeSlots()).toBe(0);
    // The request's own allocation is withdrawn at the ResourceManager.
    await settle();
    expect(rmCancel).toHaveBeenCalledTimes(1);
  });

  it('fails a request that is not fulfilled within slot.request.timeout and withdraws it', async () => {
    const { clock, rm, rmGateway, pool, addTaskExecutor } = await newSetup();
    const rmRequest = vi.spyOn(rm, 'requestSlot');
    const rmCancel = vi.spyOn(rm, 'cancelSlotRequest');
    pool.connectToResourceManager(rmGateway);
    let failure: unknown;
    const request = pool.requestSlot(ResourceProfile.ANY).catch((error: unknown) => {
      failure = error;
    });
    await settle();
    const allocationId = rmRequest.mock.calls[0]?.[1].allocationId;
    expect(allocationId).toBeDefined();

    clock.advance(TIMEOUT_MS - 1);
    await settle();
    expect(failure).toBeUndefined();

    clock.advance(1);
    await request;
    expect(failure).toBeInstanceOf(NoResourceAvailableError);
    expect((failure as Error).message).toMatch(/slot request timeout/i);
    expect((failure as Error).message).toContain(`${TIMEOUT_MS} ms`);
    expect(pool.getNumberOfPendingRequests()).toBe(0);
    await settle();
    expect(rmCancel).toHaveBeenCalledWith(allocationId);

    // Withdrawn: a TaskExecutor that registers now is not asked for it.
    const te = await addTaskExecutor(1);
    await settle();
    expect(await allocationsAt(te)).toEqual([]);
    expect(rm.getNumberOfFreeSlots()).toBe(1);
  });

  it('stops the timeout of a fulfilled request', async () => {
    const { clock, rmGateway, pool, addTaskExecutor } = await newSetup();
    await addTaskExecutor(1);
    pool.connectToResourceManager(rmGateway);
    await pool.requestSlot(ResourceProfile.ANY);

    expect(clock.numberOfScheduledTasks()).toBe(0);
    clock.advance(TIMEOUT_MS);
    expect(pool.getNumberOfAllocatedSlots()).toBe(1);
  });

  it('fails a request the ResourceManager refuses', async () => {
    const { rpc, rm, pool } = await newSetup();
    // A ResourceManager that never heard of this JobMaster.
    const stranger = new ResourceManager(rpc, new ManualClock());
    pool.connectToResourceManager(await rpc.connect<ResourceManagerGateway>(stranger.start()));

    const request = pool.requestSlot(ResourceProfile.ANY);

    await expect(request).rejects.toBeInstanceOf(NoResourceAvailableError);
    await expect(request).rejects.toThrow(/refused/);
    expect(rm.getNumberOfFreeSlots()).toBe(0);
  });

  it('refuses offers it has no request for', async () => {
    const { pool, addTaskExecutor } = await newSetup();
    const te = await addTaskExecutor(1);
    const offer: SlotOffer = {
      allocationId: AllocationID.generate(),
      slotIndex: 0,
      resourceProfile: SLOT_PROFILE.toJson(),
    };

    expect(await pool.offerSlots(te.getLocation()!, [offer])).toEqual([]);
    expect(pool.getNumberOfAllocatedSlots()).toBe(0);
  });

  it('takes an offer for another allocation when it fits a waiting request, and withdraws that request', async () => {
    const { rm, rmGateway, pool, addTaskExecutor } = await newSetup();
    const te = await addTaskExecutor(1);
    const rmRequest = vi.spyOn(rm, 'requestSlot');
    const rmCancel = vi.spyOn(rm, 'cancelSlotRequest');
    // The ResourceManager knows no slots, so the request waits there.
    await rmGateway.disconnectTaskManager(te.resourceId, SerializedError.from(new Error('hidden')));
    pool.connectToResourceManager(rmGateway);
    let served: PhysicalSlot | undefined;
    void pool.requestSlot(ResourceProfile.ANY).then((slot) => {
      served = slot;
    });
    await settle();
    const requested = rmRequest.mock.calls[0]?.[1].allocationId;
    const offer: SlotOffer = {
      allocationId: AllocationID.generate(),
      slotIndex: 0,
      resourceProfile: SLOT_PROFILE.toJson(),
    };

    expect(await pool.offerSlots(te.getLocation()!, [offer])).toEqual([offer]);
    await settle();

    expect(served?.allocationId).toBe(offer.allocationId);
    expect(rmCancel).toHaveBeenCalledWith(requested);
    // An offer it already holds is accepted again (a TaskExecutor may repeat its offers).
    expect(await pool.offerSlots(te.getLocation()!, [offer])).toEqual([offer]);
    expect(pool.getNumberOfAllocatedSlots()).toBe(1);
  });

  it('on close, fails waiting requests and frees every slot at its TaskExecutor', async () => {
    const { rm, rmGateway, pool, addTaskExecutor } = await newSetup();
    const te = await addTaskExecutor(2);
    pool.connectToResourceManager(rmGateway);
    const first = await pool.requestSlot(ResourceProfile.ANY);
    await pool.requestSlot(ResourceProfile.ANY);
    pool.returnSlot(first.allocationId);
    const waiting = pool.requestSlot(ResourceProfile.fromResources(8, MemorySize.ofMebiBytes(64)));
    expect(await allocationsAt(te)).toHaveLength(2);

    const cause = new ComponentClosedError('job ended');
    await pool.close(cause);

    await expect(waiting).rejects.toBe(cause);
    expect(await allocationsAt(te)).toEqual([]);
    expect(pool.getNumberOfAllocatedSlots()).toBe(0);
    expect(pool.getNumberOfFreeSlots()).toBe(0);
    await settle();
    expect(rm.getNumberOfFreeSlots()).toBe(2);
    await expect(pool.requestSlot(ResourceProfile.ANY)).rejects.toBeInstanceOf(ComponentClosedError);
    expect(
      await pool.offerSlots(te.getLocation()!, [
        { allocationId: first.allocationId, slotIndex: 0, resourceProfile: SLOT_PROFILE.toJson() },
      ]),
    ).toEqual([]);
  });

  it('drops the slots of a TaskExecutor that is gone', async () => {
    const { rmGateway, pool, addTaskExecutor } = await newSetup();
    const a = await addTaskExecutor(1);
    const b = await addTaskExecutor(1);
    pool.connectToResourceManager(rmGateway);
    const first = await pool.requestSlot(ResourceProfile.ANY);
    const second = await pool.requestSlot(ResourceProfile.ANY);
    pool.returnSlot(first.allocationId);
    const lostAt = first.location.resourceId === a.resourceId ? a : b;

    expect(pool.releaseTaskManager(lostAt.resourceId)).toEqual([first.allocationId]);
    expect(pool.releaseTaskManager(lostAt.resourceId)).toEqual([]);
    expect(pool.getNumberOfAllocatedSlots()).toBe(1);
    expect(pool.getNumberOfFreeSlots()).toBe(0);
    expect(second.location.resourceId).not.toBe(lostAt.resourceId);
  });
});
