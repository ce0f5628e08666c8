import { describe, expect, it } from 'vitest';

import { Acknowledge, deferred } from '../core/async.js';
import type { Deferred } from '../core/async.js';
import { ManualClock } from '../core/clock.js';
import { EddyError, SerializedError } from '../core/errors.js';
import { AllocationID, JobID, JobMasterId, ResourceID } from '../core/ids.js';
import type { ResourceManagerId, SlotID } from '../core/ids.js';
import { MemorySize } from '../core/memory-size.js';
import { ResourceProfile } from '../core/resource-profile.js';
import type { ResourceProfileJson } from '../core/resource-profile.js';
import { LocalRpcService } from '../rpc/rpc-service.js';
import type { SlotReport } from '../taskexecutor/slot-types.js';
import type { TaskExecutorGateway } from '../taskexecutor/task-executor-gateway.js';
import { SlotOccupiedError } from '../taskexecutor/task-slot-table.js';
import { ResourceManager, UnknownJobMasterError } from './resource-manager.js';
import type { ResourceManagerGateway, SlotRequest } from './resource-manager-gateway.js';

const SLOT_PROFILE = ResourceProfile.fromResources(1, MemorySize.ofMebiBytes(128));

interface SlotRequestCall {
  readonly slotId: SlotID;
  readonly jobId: JobID;
  readonly allocationId: AllocationID;
  readonly resourceProfile: ResourceProfileJson;
  readonly targetAddress: string;
  readonly resourceManagerId: ResourceManagerId;
}

/** A TaskExecutor endpoint that records the slot requests it gets and answers as the test says. */
class RecordingTaskExecutor implements TaskExecutorGateway {
  triggerCheckpoint(): Promise<Acknowledge> {
    return Promise.reject(new Error('not part of this test'));
  }
  confirmCheckpoint(): Promise<Acknowledge> {
    return Promise.reject(new Error('not part of this test'));
  }
  abortCheckpoint(): Promise<Acknowledge> {
    return Promise.reject(new Error('not part of this test'));
  }
  readonly slotRequests: SlotRequestCall[] = [];
  answer: (call: SlotRequestCall) => Promise<Acknowledge> = () => Promise.resolve(Acknowledge.get());

  constructor(readonly report: SlotReport) {}

  requestSlot(
    slotId: SlotID,
    jobId: JobID,
    allocationId: AllocationID,
    resourceProfile: ResourceProfileJson,
    targetAddress: string,
    resourceManagerId: ResourceManagerId,
  ): Promise<Acknowledge> {
    const call = { slotId, jobId, allocationId, resourceProfile, targetAddress, resourceManagerId };
    this.slotRequests.push(call);
    return this.answer(call);
  }
  submitTask(): Promise<Acknowledge> {
    return Promise.reject(new EddyError('not in this test'));
  }
  cancelTask(): Promise<Acknowledge> {
    return Promise.reject(new EddyError('not in this test'));
  }
  freeSlot(): Promise<Acknowledge> {
    return Promise.resolve(Acknowledge.get());
  }
  releasePartitions(): Promise<void> {
    return Promise.resolve();
  }
  requestSlotReport(): Promise<SlotReport> {
    return Promise.resolve(this.report);
  }
}

/** Lets every pending promise chain (RPCs are microtasks over the local service) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

async function newCluster() {
  const rpc = new LocalRpcService();
  const clock = new ManualClock(1_000);
  const rm = new ResourceManager(rpc, clock);
  const gateway = await rpc.connect<ResourceManagerGateway>(rm.start());
  return { rpc, clock, rm, gateway };
}

type Cluster = Awaited<ReturnType<typeof newCluster>>;

async function addTaskExecutor(
  { rpc, gateway }: Cluster,
  numberOfSlots: number,
  name: string = ResourceID.generate(),
  allocated: readonly { slot: number; allocationId: AllocationID; jobId: JobID }[] = [],
) {
  const resourceId = ResourceID.of(name);
  const report: SlotReport = {
    resourceId,
    slots: Array.from({ length: numberOfSlots }, (_, slotNumber) => {
      const taken = allocated.find((entry) => entry.slot === slotNumber);
      return {
        slotId: { resourceId, slotNumber },
        resourceProfile: SLOT_PROFILE.toJson(),
        ...(taken !== undefined ? { allocationId: taken.allocationId, jobId: taken.jobId } : {}),
      };
    }),
  };
  const taskExecutor = new RecordingTaskExecutor(report);
  const address = rpc.startServer('taskmanager', taskExecutor);
  const response = await gateway.registerTaskExecutor(
    address,
    { resourceId, host: 'localhost', dataPort: -1, address },
    report,
    ResourceProfile.fromResources(numberOfSlots, MemorySize.ofMebiBytes(128 * numberOfSlots)).toJson(),
  );
  expect(response.type).toBe('success');
  return { taskExecutor, resourceId, address };
}

async function addJobMaster({ gateway }: Cluster, jobId = JobID.generate()) {
  const jobMasterId = JobMasterId.generate();
  const address = `local://jobmanager-${jobId}`;
  const response = await gateway.registerJobMaster(jobMasterId, ResourceID.generate(), address, jobId);
  expect(response.type).toBe('success');
  const request = (profile: ResourceProfile = ResourceProfile.ANY): SlotRequest => ({
    jobId,
    allocationId: AllocationID.generate(),
    resourceProfile: profile.toJson(),
    targetAddress: address,
  });
  return { jobId, jobMasterId, address, request };
}

describe('ResourceManager', () => {
  it('answers registrations with its fencing token and ResourceID', async () => {
    const cluster = await newCluster();
    const response = await cluster.gateway.registerJobMaster(
      JobMasterId.generate(),
      ResourceID.generate(),
      'local://jm',
      JobID.generate(),
    );
    expect(response).toEqual({
      type: 'success',
      resourceManagerId: cluster.rm.resourceManagerId,
      resourceManagerResourceId: cluster.rm.resourceId,
    });
  });

  it('serves a slot request with a free slot, asking its TaskExecutor with the request’s data', async () => {
    const cluster = await newCluster();
    const { taskExecutor, resourceId } = await addTaskExecutor(cluster, 1, 'tm-a');
    const jm = await addJobMaster(cluster);
    const request = jm.request(SLOT_PROFILE);

    await expect(cluster.gateway.requestSlot(jm.jobMasterId, request)).resolves.toBe('ACK');
    await settle();

    expect(taskExecutor.slotRequests).toEqual([
      {
        slotId: { resourceId, slotNumber: 0 },
        jobId: jm.jobId,
        allocationId: request.allocationId,
        resourceProfile: SLOT_PROFILE.toJson(),
        targetAddress: jm.address,
        resourceManagerId: cluster.rm.resourceManagerId,
      },
    ]);
    expect(cluster.rm.getNumberOfFreeSlots()).toBe(0);
  });

  it('does not hand out a slot that is too small for the request', async () => {
    const cluster = await newCluster();
    const { taskExecutor } = await addTaskExecutor(cluster, 2);
    const jm = await addJobMaster(cluster);

    await cluster.gateway.requestSlot(
      jm.jobMasterId,
      jm.request(ResourceProfile.fromResources(4, MemorySize.ofMebiBytes(128))),
    );
    await settle();

    expect(taskExecutor.slotRequests).toEqual([]);
    expect(cluster.rm.getNumberOfFreeSlots()).toBe(2);
  });

  it('keeps a request without a free slot until the TaskExecutor frees one', async () => {
    const cluster = await newCluster();
    const { taskExecutor, resourceId } = await addTaskExecutor(cluster, 1);
    const jm = await addJobMaster(cluster);
    const first = jm.request();
    const second = jm.request();

    await cluster.gateway.requestSlot(jm.jobMasterId, first);
    await cluster.gateway.requestSlot(jm.jobMasterId, second);
    await settle();
    expect(taskExecutor.slotRequests.map((call) => call.allocationId)).toEqual([first.allocationId]);

    // A notification about an allocation the slot does not hold changes nothing.
    await cluster.gateway.notifySlotAvailable(resourceId, { resourceId, slotNumber: 0 }, second.allocationId);
    await settle();
    expect(taskExecutor.slotRequests).toHaveLength(1);

    await cluster.gateway.notifySlotAvailable(resourceId, { resourceId, slotNumber: 0 }, first.allocationId);
    await settle();
    expect(taskExecutor.slotRequests.map((call) => call.allocationId)).toEqual([
      first.allocationId,
      second.allocationId,
    ]);
  });

  it('keeps a request without a free slot until a TaskExecutor registers', async () => {
    const cluster = await newCluster();
    const jm = await addJobMaster(cluster);
    const request = jm.request();

    await cluster.gateway.requestSlot(jm.jobMasterId, request);
    await settle();

    const { taskExecutor } = await addTaskExecutor(cluster, 1);
    await settle();
    expect(taskExecutor.slotRequests.map((call) => call.allocationId)).toEqual([request.allocationId]);
  });

  it('serves requests in the order they arrived', async () => {
    const cluster = await newCluster();
    const jm = await addJobMaster(cluster);
    const requests = [jm.request(), jm.request(), jm.request()];
    for (const request of requests) await cluster.gateway.requestSlot(jm.jobMasterId, request);

    const { taskExecutor } = await addTaskExecutor(cluster, 2);
    await settle();

    expect(taskExecutor.slotRequests.map((call) => call.allocationId)).toEqual([
      requests[0]?.allocationId,
      requests[1]?.allocationId,
    ]);
  });

  it('does not hand out slots a TaskExecutor reports as allocated', async () => {
    const cluster = await newCluster();
    const jobId = JobID.generate();
    const { taskExecutor } = await addTaskExecutor(cluster, 2, 'tm-a', [
      { slot: 0, allocationId: AllocationID.generate(), jobId },
    ]);
    expect(cluster.rm.getNumberOfFreeSlots()).toBe(1);
    const jm = await addJobMaster(cluster);

    await cluster.gateway.requestSlot(jm.jobMasterId, jm.request());
    await settle();

    expect(taskExecutor.slotRequests.map((call) => call.slotId.slotNumber)).toEqual([1]);
  });

  it('withdraws a request on cancelSlotRequest', async () => {
    const cluster = await newCluster();
    const jm = await addJobMaster(cluster);
    const cancelled = jm.request();
    const kept = jm.request();
    await cluster.gateway.requestSlot(jm.jobMasterId, cancelled);
    await cluster.gateway.requestSlot(jm.jobMasterId, kept);

    await cluster.gateway.cancelSlotRequest(cancelled.allocationId);
    const { taskExecutor } = await addTaskExecutor(cluster, 2);
    await settle();

    expect(taskExecutor.slotRequests.map((call) => call.allocationId)).toEqual([kept.allocationId]);
    expect(cluster.rm.getNumberOfFreeSlots()).toBe(1);
  });

  it('ignores a request it already has', async () => {
    const cluster = await newCluster();
    const { taskExecutor } = await addTaskExecutor(cluster, 2);
    const jm = await addJobMaster(cluster);
    const request = jm.request();

    await cluster.gateway.requestSlot(jm.jobMasterId, request);
    await cluster.gateway.requestSlot(jm.jobMasterId, request);
    await settle();

    expect(taskExecutor.slotRequests).toHaveLength(1);
    expect(cluster.rm.getNumberOfFreeSlots()).toBe(1);
  });

  it('sends a request a TaskExecutor refuses to another slot, and records who holds the refused one', async () => {
    const cluster = await newCluster();
    const { taskExecutor, resourceId } = await addTaskExecutor(cluster, 2, 'tm-a');
    const holder = AllocationID.generate();
    const holderJob = JobID.generate();
    let refusals = 0;
    taskExecutor.answer = (call) => {
      // Bounded, so that a request that keeps going back to the same slot fails instead of spinning.
      if (call.slotId.slotNumber === 0 && refusals++ < 20)
        return Promise.reject(new SlotOccupiedError('slot 0 is taken', holder, holderJob));
      return Promise.resolve(Acknowledge.get());
    };
    const jm = await addJobMaster(cluster);
    const request = jm.request();

    await cluster.gateway.requestSlot(jm.jobMasterId, request);
    await settle();

    expect(taskExecutor.slotRequests.map((call) => [call.slotId.slotNumber, call.allocationId])).toEqual([
      [0, request.allocationId],
      [1, request.allocationId],
    ]);
    expect(cluster.rm.getNumberOfFreeSlots()).toBe(0);

    // Once the holder frees slot 0, the ResourceManager hands it out again.
    await cluster.gateway.notifySlotAvailable(resourceId, { resourceId, slotNumber: 0 }, holder);
    expect(cluster.rm.getNumberOfFreeSlots()).toBe(1);
  });

  it('does not send a refused request back to the slot that refused it', async () => {
    const cluster = await newCluster();
    const { taskExecutor } = await addTaskExecutor(cluster, 2);
    let calls = 0;
    // A TaskExecutor that is shutting down refuses everything, not because a slot is occupied.
    taskExecutor.answer = () =>
      calls++ < 20 ? Promise.reject(new EddyError('shutting down')) : Promise.resolve(Acknowledge.get());
    const jm = await addJobMaster(cluster);

    await cluster.gateway.requestSlot(jm.jobMasterId, jm.request());
    await settle();

    expect(taskExecutor.slotRequests.map((call) => call.slotId.slotNumber)).toEqual([0, 1]);
    expect(cluster.rm.getNumberOfFreeSlots()).toBe(2);

    // A new TaskExecutor takes it.
    const other = await addTaskExecutor(cluster, 1);
    await settle();
    expect(other.taskExecutor.slotRequests).toHaveLength(1);
  });

  it('re-queues a request whose TaskExecutor went away before answering, without allocating it twice', async () => {
    const cluster = await newCluster();
    const gone = await addTaskExecutor(cluster, 2, 'tm-gone');
    const answers: Deferred<Acknowledge>[] = [];
    gone.taskExecutor.answer = () => {
      const answer = deferred<Acknowledge>();
      answers.push(answer);
      return answer.promise;
    };
    const jm = await addJobMaster(cluster);
    const request = jm.request();
    await cluster.gateway.requestSlot(jm.jobMasterId, request);
    await settle();
    expect(gone.taskExecutor.slotRequests).toHaveLength(1);

    await cluster.gateway.disconnectTaskManager(gone.resourceId, SerializedError.from(new Error('lost')));
    await settle();
    // Not sent to the other slot of the TaskExecutor that left.
    expect(gone.taskExecutor.slotRequests).toHaveLength(1);
    expect(cluster.rm.getNumberOfRegisteredSlots()).toBe(0);

    const other = await addTaskExecutor(cluster, 2, 'tm-other');
    await settle();
    expect(other.taskExecutor.slotRequests.map((call) => call.allocationId)).toEqual([request.allocationId]);

    // The late answer of the TaskExecutor that left must not send the request anywhere again.
    answers[0]?.reject(new EddyError('connection lost'));
    await settle();
    expect(other.taskExecutor.slotRequests).toHaveLength(1);
    expect(cluster.rm.getNumberOfFreeSlots()).toBe(1);
  });

  it('replaces the slots of a TaskExecutor that registers again', async () => {
    const cluster = await newCluster();
    await addTaskExecutor(cluster, 2, 'tm-a');
    await addTaskExecutor(cluster, 3, 'tm-a');
    expect(cluster.rm.getNumberOfRegisteredTaskExecutors()).toBe(1);
    expect(cluster.rm.getNumberOfRegisteredSlots()).toBe(3);
  });

  it('rejects a slot request from a JobMaster that never registered', async () => {
    const cluster = await newCluster();
    await addTaskExecutor(cluster, 1);
    const request: SlotRequest = {
      jobId: JobID.generate(),
      allocationId: AllocationID.generate(),
      resourceProfile: ResourceProfile.ANY.toJson(),
      targetAddress: 'local://jm',
    };
    await expect(cluster.gateway.requestSlot(JobMasterId.generate(), request)).rejects.toBeInstanceOf(
      UnknownJobMasterError,
    );
    expect(cluster.rm.getNumberOfFreeSlots()).toBe(1);
  });

  it('rejects a slot request with a stale JobMasterId once another JobMaster registered for the job', async () => {
    const cluster = await newCluster();
    const { taskExecutor } = await addTaskExecutor(cluster, 2);
    const old = await addJobMaster(cluster);
    const leader = await addJobMaster(cluster, old.jobId);

    await expect(cluster.gateway.requestSlot(old.jobMasterId, old.request())).rejects.toBeInstanceOf(
      UnknownJobMasterError,
    );
    await expect(cluster.gateway.requestSlot(leader.jobMasterId, leader.request())).resolves.toBe('ACK');
    await settle();
    expect(taskExecutor.slotRequests.map((call) => call.targetAddress)).toEqual([leader.address]);
  });

  it('drops the waiting requests of a JobMaster that disconnects, and only for its own token', async () => {
    const cluster = await newCluster();
    const jm = await addJobMaster(cluster);
    await cluster.gateway.requestSlot(jm.jobMasterId, jm.request());

    await cluster.gateway.disconnectJobManager(jm.jobId, JobMasterId.generate());
    await cluster.gateway.disconnectJobManager(jm.jobId, jm.jobMasterId);
    const { taskExecutor } = await addTaskExecutor(cluster, 1);
    await settle();

    expect(taskExecutor.slotRequests).toEqual([]);
    await expect(cluster.gateway.requestSlot(jm.jobMasterId, jm.request())).rejects.toBeInstanceOf(
      UnknownJobMasterError,
    );
  });

  it('reports each TaskExecutor with its free slots and free resources', async () => {
    const cluster = await newCluster();
    const a = await addTaskExecutor(cluster, 3, 'tm-a');
    await addTaskExecutor(cluster, 1, 'tm-b');
    const jm = await addJobMaster(cluster);
    await cluster.gateway.requestSlot(jm.jobMasterId, jm.request());
    await settle();

    const infos = await cluster.gateway.requestTaskManagerInfo();
    const byId = new Map(infos.map((info) => [info.resourceId, info]));
    const infoA = byId.get(a.resourceId);
    expect(infoA).toMatchObject({
      numberOfSlots: 3,
      numberOfFreeSlots: 2,
      registeredAt: 1_000,
      location: { resourceId: a.resourceId, address: a.address },
      totalResourceProfile: ResourceProfile.fromResources(3, MemorySize.ofMebiBytes(384)).toJson(),
      freeResourceProfile: ResourceProfile.fromResources(2, MemorySize.ofMebiBytes(256)).toJson(),
    });
    expect(byId.get(ResourceID.of('tm-b'))).toMatchObject({ numberOfSlots: 1, numberOfFreeSlots: 1 });
  });

  it('forgets a TaskExecutor that disconnects', async () => {
    const cluster = await newCluster();
    const { resourceId } = await addTaskExecutor(cluster, 2);
    await cluster.gateway.disconnectTaskManager(resourceId, SerializedError.from(new Error('bye')));
    expect(await cluster.gateway.requestTaskManagerInfo()).toEqual([]);
    expect(cluster.rm.getNumberOfRegisteredSlots()).toBe(0);
  });
});
