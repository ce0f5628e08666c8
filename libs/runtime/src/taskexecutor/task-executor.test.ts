import { afterEach, describe, expect, it, vi } from 'vitest';

import { LibraryCacheManager } from '../blob/library-cache-manager.js';
import { Acknowledge, deferred } from '../core/async.js';
import type { Deferred } from '../core/async.js';
import { ManualClock } from '../core/clock.js';
import { Configuration } from '../core/configuration.js';
import { EddyError, IllegalStateError, SerializedError } from '../core/errors.js';
import {
  AllocationID,
  ExecutionAttemptID,
  ExecutionVertexID,
  IntermediateDataSetID,
  IntermediateResultPartitionID,
  JobID,
  JobMasterId,
  JobVertexID,
  ResourceID,
} from '../core/ids.js';
import { MemorySize } from '../core/memory-size.js';
import { ResourceProfile } from '../core/resource-profile.js';
import type { TaskManagerLocation } from '../core/task-manager-location.js';
import type { TaskDeploymentDescriptor } from '../deployment/task-deployment-descriptor.js';
import { IntCounter } from '../execution/accumulators.js';
import { AbstractInvokable } from '../execution/invokable.js';
import type { InvokableClass } from '../execution/invokable.js';
import { UnknownInvokableError } from '../execution/invokable-registry.js';
import type { ArchivedExecutionGraphJson } from '../executiongraph/archived-execution-graph.js';
import type { JobStatus } from '../executiongraph/job-status.js';
import { LocalShuffleEnvironment } from '../io/network/local-shuffle-environment.js';
import type { ResultPartitionDeploymentDescriptor } from '../io/network/shuffle-environment.js';
import { JobType, ResultPartitionType } from '../jobgraph/enums.js';
import type { JobMasterGateway } from '../jobmaster/job-master-gateway.js';
import { ResourceManager } from '../resourcemanager/resource-manager.js';
import type { ResourceManagerGateway } from '../resourcemanager/resource-manager-gateway.js';
import { LocalRpcService } from '../rpc/rpc-service.js';
import type { SlotOffer } from './slot-types.js';
import type { TaskExecutionState } from './task-execution-state.js';
import { FencingTokenError, TaskExecutor } from './task-executor.js';
import type { TaskExecutorGateway } from './task-executor-gateway.js';
import { SlotNotActiveError } from './task-slot-table.js';

/** Counts to three in an accumulator and finishes. */
class CountingTask extends AbstractInvokable {
  invoke(): Promise<void> {
    const counter = this.getEnvironment()
      .getAccumulatorRegistry()
      .getOrAdd('count', () => new IntCounter());
    for (let i = 0; i < 3; i++) counter.add(1);
    return Promise.resolve();
  }
}

class FailingTask extends AbstractInvokable {
  invoke(): Promise<void> {
    return Promise.reject(new IllegalStateError('the task broke'));
  }
}

/** Runs until cancelled: it waits on the cancellation signal, as a task blocked on I/O does. */
class BlockingTask extends AbstractInvokable {
  invoke(): Promise<void> {
    const signal = this.getEnvironment().getCancellationSignal();
    return new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => {
        reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      });
    });
  }
}

const JOB_CLASSES: ReadonlyMap<string, InvokableClass> = new Map<string, InvokableClass>([
  ['test.counting', CountingTask],
  ['test.failing', FailingTask],
  ['test.blocking', BlockingTask],
]);

/** A JobMaster endpoint that accepts (or refuses) offers and records every task state report. */
class RecordingJobMaster implements JobMasterGateway {
  readonly declines: { checkpointId: number; reason: string }[] = [];
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
    return Promise.resolve();
  }
  declineCheckpoint(_executionId: ExecutionAttemptID, checkpointId: number, reason: string): Promise<void> {
    this.declines.push({ checkpointId, reason });
    return Promise.resolve();
  }
  readonly offers: SlotOffer[] = [];
  readonly reports: TaskExecutionState[] = [];
  acceptOffers = true;
  private readonly waiters = new Map<string, Deferred<TaskExecutionState>>();

  offerSlots(_taskManager: TaskManagerLocation, offers: readonly SlotOffer[]): Promise<SlotOffer[]> {
    this.offers.push(...offers);
    return Promise.resolve(this.acceptOffers ? [...offers] : []);
  }
  updateTaskExecutionState(state: TaskExecutionState): Promise<boolean> {
    this.reports.push(state);
    if (state.state === 'FINISHED' || state.state === 'FAILED' || state.state === 'CANCELED')
      this.terminal(state.executionId).resolve(state);
    return Promise.resolve(true);
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

  /** Resolves with the terminal report of `executionId`. */
  terminal(executionId: ExecutionAttemptID): Deferred<TaskExecutionState> {
    let waiter = this.waiters.get(executionId);
    if (waiter === undefined) {
      waiter = deferred<TaskExecutionState>();
      this.waiters.set(executionId, waiter);
    }
    return waiter;
  }
  statesOf(executionId: ExecutionAttemptID): string[] {
    return this.reports.filter((report) => report.executionId === executionId).map((report) => report.state);
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

const toClose: TaskExecutor[] = [];
afterEach(async () => {
  await Promise.all(toClose.splice(0).map((te) => te.closeAsync()));
});

async function newSetup(numberOfSlots = 2) {
  const rpc = new LocalRpcService();
  const rm = new ResourceManager(rpc, new ManualClock());
  const rmAddress = rm.start();
  const rmGateway = await rpc.connect<ResourceManagerGateway>(rmAddress);
  const libraries = new LibraryCacheManager();
  const shuffle = new LocalShuffleEnvironment(new Configuration());
  const te = new TaskExecutor(
    rpc,
    {
      resourceId: ResourceID.of('tm-test'),
      numberOfSlots,
      totalResourceProfile: ResourceProfile.fromResources(numberOfSlots, MemorySize.ofMebiBytes(256)),
    },
    shuffle,
    libraries,
    rmAddress,
  );
  toClose.push(te);
  await te.start();
  const teGateway = await rpc.connect<TaskExecutorGateway>(te.getLocation()!.address);

  const jobId = JobID.generate();
  libraries.registerJob(jobId, JOB_CLASSES);
  const jm = new RecordingJobMaster();
  const jmAddress = rpc.startServer('jobmanager', jm);
  const jobMasterId = JobMasterId.generate();
  await rmGateway.registerJobMaster(jobMasterId, ResourceID.generate(), jmAddress, jobId);

  /** Allocates a slot for the job through the ResourceManager; the JobMaster accepts it. */
  const activeSlot = async (): Promise<AllocationID> => {
    const allocationId = AllocationID.generate();
    await rmGateway.requestSlot(jobMasterId, {
      jobId,
      allocationId,
      resourceProfile: ResourceProfile.ANY.toJson(),
      targetAddress: jmAddress,
    });
    await settle();
    expect(jm.offers.map((offer) => offer.allocationId)).toContain(allocationId);
    return allocationId;
  };
  return {
    rpc,
    rm,
    rmGateway,
    te,
    teGateway,
    shuffle,
    libraries,
    jobId,
    jm,
    jmAddress,
    jobMasterId,
    activeSlot,
  };
}

function tdd(
  jobId: JobID,
  allocationId: AllocationID,
  invokableClassName: string,
  overrides: Partial<TaskDeploymentDescriptor> = {},
): TaskDeploymentDescriptor {
  const jobVertexId = JobVertexID.generate();
  return {
    jobId,
    jobName: 'test job',
    jobType: JobType.BATCH,
    executionId: ExecutionAttemptID.generate(ExecutionVertexID.of(jobVertexId, 0)),
    allocationId,
    jobVertexId,
    taskName: invokableClassName,
    subtaskIndex: 0,
    numberOfSubtasks: 1,
    maxNumberOfSubtasks: 128,
    attemptNumber: 0,
    invokableClassName,
    taskConfiguration: {},
    jobConfiguration: {},
    producedPartitions: [],
    inputGates: [],
    ...overrides,
  };
}

function blockingOutput(): ResultPartitionDeploymentDescriptor {
  const resultId = IntermediateDataSetID.generate();
  return {
    resultId,
    partitionId: IntermediateResultPartitionID.of(resultId, 0),
    partitionType: ResultPartitionType.BLOCKING,
    numberOfSubpartitions: 1,
    partitioner: { type: 'forward' },
    consumerMaxParallelism: 128,
  };
}

describe('TaskExecutor', () => {
  it('registers its slots with the ResourceManager on start', async () => {
    const { rm, te } = await newSetup(3);
    expect(rm.getNumberOfRegisteredTaskExecutors()).toBe(1);
    expect(rm.getNumberOfFreeSlots()).toBe(3);
    expect(te.getLocation()).toMatchObject({ resourceId: 'tm-test', host: 'localhost' });
  });

  it('offers a slot the ResourceManager allocated to the JobMaster and keeps it once accepted', async () => {
    const { teGateway, jobId, jm, activeSlot } = await newSetup();
    const allocationId = await activeSlot();

    expect(jm.offers).toEqual([
      {
        allocationId,
        slotIndex: 0,
        resourceProfile: ResourceProfile.fromResources(1, MemorySize.ofMebiBytes(128)).toJson(),
      },
    ]);
    const report = await teGateway.requestSlotReport();
    expect(report.slots[0]).toMatchObject({ allocationId, jobId });
  });

  it('frees a slot the JobMaster refuses and tells the ResourceManager', async () => {
    const { rm, teGateway, jm, activeSlot } = await newSetup(1);
    jm.acceptOffers = false;
    const notify = vi.spyOn(rm, 'notifySlotAvailable');

    const allocationId = await activeSlot();
    await settle();

    expect((await teGateway.requestSlotReport()).slots[0]?.allocationId).toBeUndefined();
    expect(notify).toHaveBeenCalledWith('tm-test', { resourceId: 'tm-test', slotNumber: 0 }, allocationId);
    expect(rm.getNumberOfFreeSlots()).toBe(1);
  });

  it('rejects a slot request for a JobMaster it cannot reach, leaving the slot free', async () => {
    const { rm, teGateway, jobId } = await newSetup(1);

    await expect(
      teGateway.requestSlot(
        { resourceId: ResourceID.of('tm-test'), slotNumber: 0 },
        jobId,
        AllocationID.generate(),
        ResourceProfile.ANY.toJson(),
        'local://nobody-0',
        rm.resourceManagerId,
      ),
    ).rejects.toThrow(/local:\/\/nobody-0/);
    expect((await teGateway.requestSlotReport()).slots[0]?.allocationId).toBeUndefined();
  });

  it('runs a submitted task and reports INITIALIZING, RUNNING, FINISHED in order to the JobMaster', async () => {
    const { te, teGateway, jobId, jm, jobMasterId, activeSlot } = await newSetup();
    const allocationId = await activeSlot();
    const descriptor = tdd(jobId, allocationId, 'test.counting');

    await expect(teGateway.submitTask(descriptor, jobMasterId)).resolves.toBe('ACK');
    const final = await jm.terminal(descriptor.executionId).promise;

    // DEPLOYING is the JobMaster's own state for the attempt; the task reports from INITIALIZING on.
    expect(jm.statesOf(descriptor.executionId)).toEqual(['INITIALIZING', 'RUNNING', 'FINISHED']);
    expect(jm.reports.every((report) => report.jobId === jobId)).toBe(true);
    expect(final.error).toBeUndefined();
    expect(final.accumulators).toEqual({ count: { type: 'IntCounter', value: 3 } });
    await settle();
    expect(te.getNumberOfRunningTasks()).toBe(0);
  });

  it('reports the final I/O counters, and keeps a BLOCKING result until it is released', async () => {
    const { teGateway, shuffle, jobId, jm, jobMasterId, activeSlot } = await newSetup();
    const allocationId = await activeSlot();
    const output = blockingOutput();
    const descriptor = tdd(jobId, allocationId, 'eddy.sequence-source', {
      taskConfiguration: { 'sequence.from': '1', 'sequence.to': '5' },
      producedPartitions: [output],
    });

    await teGateway.submitTask(descriptor, jobMasterId);
    const final = await jm.terminal(descriptor.executionId).promise;

    expect(final.state).toBe('FINISHED');
    expect(final.ioMetrics).toMatchObject({ numRecordsIn: 0, numRecordsOut: 5 });
    expect(final.ioMetrics?.numBuffersOut).toBeGreaterThan(0);
    expect(shuffle.getNumberOfPartitions()).toBe(1);

    await teGateway.releasePartitions(jobId, [
      { partitionId: output.partitionId, producerId: descriptor.executionId },
    ]);
    expect(shuffle.getNumberOfPartitions()).toBe(0);
  });

  it('reports FAILED with the invokable’s error as plain data', async () => {
    const { teGateway, jobId, jm, jobMasterId, activeSlot } = await newSetup();
    const allocationId = await activeSlot();
    const descriptor = tdd(jobId, allocationId, 'test.failing');

    await teGateway.submitTask(descriptor, jobMasterId);
    const final = await jm.terminal(descriptor.executionId).promise;

    expect(jm.statesOf(descriptor.executionId)).toEqual(['INITIALIZING', 'RUNNING', 'FAILED']);
    expect(final.error).toMatchObject({ name: 'IllegalStateError', message: 'the task broke' });
    expect(final.error?.stack).toContain('the task broke');
    expect(final.ioMetrics).toBeDefined();
    expect(final.accumulators).toEqual({});
  });

  it('cancels a running task: it reports CANCELED', async () => {
    const { te, teGateway, jobId, jm, jobMasterId, activeSlot } = await newSetup();
    const allocationId = await activeSlot();
    const descriptor = tdd(jobId, allocationId, 'test.blocking');
    await teGateway.submitTask(descriptor, jobMasterId);
    await settle();
    expect(jm.statesOf(descriptor.executionId)).toEqual(['INITIALIZING', 'RUNNING']);
    expect(te.getNumberOfRunningTasks()).toBe(1);

    await expect(teGateway.cancelTask(descriptor.executionId)).resolves.toBe('ACK');
    const final = await jm.terminal(descriptor.executionId).promise;

    expect(final.state).toBe('CANCELED');
    expect(final.error).toBeUndefined();
    expect(jm.statesOf(descriptor.executionId)).toEqual(['INITIALIZING', 'RUNNING', 'CANCELED']);
    await settle();
    expect(te.getNumberOfRunningTasks()).toBe(0);
  });

  it('rejects cancelling a task it does not run', async () => {
    const { teGateway } = await newSetup();
    const unknown = ExecutionAttemptID.generate(ExecutionVertexID.of(JobVertexID.generate(), 0));
    await expect(teGateway.cancelTask(unknown)).rejects.toThrow(/Cannot find task/);
  });

  it('rejects a task of a job it holds no slot of', async () => {
    const { teGateway, jm, jobMasterId } = await newSetup();
    const descriptor = tdd(JobID.generate(), AllocationID.generate(), 'test.counting');

    await expect(teGateway.submitTask(descriptor, jobMasterId)).rejects.toBeInstanceOf(SlotNotActiveError);
    await settle();
    expect(jm.reports).toEqual([]);
  });

  it('rejects a task for an allocation of its job that it does not hold', async () => {
    const { teGateway, jobId, jobMasterId, activeSlot } = await newSetup();
    await activeSlot();
    const descriptor = tdd(jobId, AllocationID.generate(), 'test.counting');

    await expect(teGateway.submitTask(descriptor, jobMasterId)).rejects.toBeInstanceOf(SlotNotActiveError);
  });

  it('rejects a task from a JobMaster other than the first one that deployed to the job', async () => {
    const { teGateway, jobId, jm, jobMasterId, activeSlot } = await newSetup();
    const allocationId = await activeSlot();
    const first = tdd(jobId, allocationId, 'test.counting');
    await teGateway.submitTask(first, jobMasterId);
    await jm.terminal(first.executionId).promise;

    const stale = tdd(jobId, allocationId, 'test.counting');
    await expect(teGateway.submitTask(stale, JobMasterId.generate())).rejects.toBeInstanceOf(
      FencingTokenError,
    );
    await settle();
    expect(jm.statesOf(stale.executionId)).toEqual([]);
  });

  it('rejects a task naming an invokable it cannot resolve, and the slot stays usable', async () => {
    const { te, teGateway, jobId, jm, jobMasterId, activeSlot } = await newSetup();
    const allocationId = await activeSlot();

    const unknown = teGateway.submitTask(tdd(jobId, allocationId, 'test.no-such-invokable'), jobMasterId);
    await expect(unknown).rejects.toBeInstanceOf(UnknownInvokableError);
    await expect(unknown).rejects.toMatchObject({ invokableName: 'test.no-such-invokable' });
    expect(te.getNumberOfRunningTasks()).toBe(0);

    const good = tdd(jobId, allocationId, 'test.counting');
    await teGateway.submitTask(good, jobMasterId);
    expect((await jm.terminal(good.executionId).promise).state).toBe('FINISHED');
  });

  it('fails the tasks of a freed slot and tells the ResourceManager the slot is free', async () => {
    const { rm, te, teGateway, jobId, jm, jobMasterId, activeSlot } = await newSetup(1);
    const notify = vi.spyOn(rm, 'notifySlotAvailable');
    const allocationId = await activeSlot();
    expect(rm.getNumberOfFreeSlots()).toBe(0);
    const descriptor = tdd(jobId, allocationId, 'test.blocking');
    await teGateway.submitTask(descriptor, jobMasterId);
    await settle();

    await teGateway.freeSlot(allocationId, SerializedError.from(new EddyError('the job is over')));
    const final = await jm.terminal(descriptor.executionId).promise;
    await settle();

    expect(final.state).toBe('FAILED');
    expect(final.error).toMatchObject({ name: 'EddyError', message: 'the job is over' });
    expect(notify).toHaveBeenCalledWith(
      te.resourceId,
      { resourceId: te.resourceId, slotNumber: 0 },
      allocationId,
    );
    expect(rm.getNumberOfFreeSlots()).toBe(1);
    expect((await teGateway.requestSlotReport()).slots[0]?.allocationId).toBeUndefined();
    // Freeing again is harmless.
    await expect(teGateway.freeSlot(allocationId)).resolves.toBe('ACK');
  });

  it('forgets the JobMaster of a job whose last slot was freed: a new leader may deploy', async () => {
    const { teGateway, jobId, jm, jobMasterId, activeSlot } = await newSetup(1);
    const first = await activeSlot();
    const descriptor = tdd(jobId, first, 'test.counting');
    await teGateway.submitTask(descriptor, jobMasterId);
    await jm.terminal(descriptor.executionId).promise;
    await teGateway.freeSlot(first);
    await settle();

    const second = await activeSlot();
    const next = tdd(jobId, second, 'test.counting');
    await expect(teGateway.submitTask(next, JobMasterId.generate())).resolves.toBe('ACK');
    expect((await jm.terminal(next.executionId).promise).state).toBe('FINISHED');
  });

  it('on close, fails its running tasks and leaves the ResourceManager', async () => {
    const { rm, te, teGateway, jobId, jm, jobMasterId, activeSlot } = await newSetup();
    const allocationId = await activeSlot();
    const descriptor = tdd(jobId, allocationId, 'test.blocking');
    await teGateway.submitTask(descriptor, jobMasterId);
    await settle();

    await te.closeAsync();

    const final = await jm.terminal(descriptor.executionId).promise;
    expect(final.state).toBe('FAILED');
    expect(final.error?.name).toBe('ComponentClosedError');
    expect(rm.getNumberOfRegisteredTaskExecutors()).toBe(0);
    await expect(teGateway.requestSlotReport()).rejects.toThrow();
  });
});
