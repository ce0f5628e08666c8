import type { CheckpointOptions } from '../checkpoint/checkpoint-types.js';
import { Acknowledge } from '../core/async.js';
import { ComponentClosedError, EddyError, SerializedError } from '../core/errors.js';
import type {
  AllocationID,
  ExecutionAttemptID,
  JobID,
  JobMasterId,
  ResourceManagerId,
  ResultPartitionID,
  SlotID,
} from '../core/ids.js';
import { ResourceID } from '../core/ids.js';
import { ResourceProfile } from '../core/resource-profile.js';
import type { ResourceProfileJson } from '../core/resource-profile.js';
import type { TaskManagerLocation } from '../core/task-manager-location.js';
import type { TaskDeploymentDescriptor } from '../deployment/task-deployment-descriptor.js';
import type { UserCodeResolver } from '../blob/library-cache-manager.js';
import type { ShuffleEnvironment } from '../io/network/shuffle-environment.js';
import type { JobMasterGateway } from '../jobmaster/job-master-gateway.js';
import type { ResourceManagerGateway } from '../resourcemanager/resource-manager-gateway.js';
import type { RpcService } from '../rpc/rpc-service.js';
import type { SlotReport } from './slot-types.js';
import { Task } from './task.js';
import type { TaskExecutionState } from './task-execution-state.js';
import type { CheckpointResponder } from './task-state-manager.js';
import type { TaskExecutorGateway } from './task-executor-gateway.js';
import { SlotNotActiveError, TaskSlotTable } from './task-slot-table.js';

/** A message carried a JobMaster fencing token other than the one this TaskExecutor knows. */
export class FencingTokenError extends EddyError {}

export interface TaskExecutorConfiguration {
  readonly resourceId?: ResourceID;
  readonly numberOfSlots: number;
  /** Resources of the whole TaskExecutor; each slot gets an equal share. */
  readonly totalResourceProfile: ResourceProfile;
  readonly host?: string;
  readonly dataPort?: number;
  /** `task.cancellation.timeout` in ms (default 180 s). */
  readonly taskCancellationTimeoutMs?: number;
  /** `state.storage.fs.memory-threshold` in bytes: snapshot state up to this size stays inline (default 20 kb). */
  readonly stateMemoryThresholdBytes?: number;
}

interface JobConnection {
  readonly address: string;
  readonly gateway: JobMasterGateway;
  jobMasterId: JobMasterId | undefined;
}

/**
 * A TaskExecutor (Flink's TaskExecutor): offers its slots through the ResourceManager, gives
 * allocated slots to the JobMaster that asked for them, runs the tasks it is sent in those slots,
 * reports their states to their JobMaster, and owns the result partitions they produce.
 */
export class TaskExecutor implements TaskExecutorGateway {
  readonly resourceId: ResourceID;
  private readonly slotTable: TaskSlotTable;
  private readonly tasks = new Map<ExecutionAttemptID, Task>();
  private readonly jobConnections = new Map<JobID, JobConnection>();
  private address: string | undefined;
  private location: TaskManagerLocation | undefined;
  private resourceManager: ResourceManagerGateway | undefined;
  private closed = false;

  constructor(
    private readonly rpcService: RpcService,
    private readonly configuration: TaskExecutorConfiguration,
    private readonly shuffleEnvironment: ShuffleEnvironment,
    private readonly userCode: UserCodeResolver,
    private readonly resourceManagerAddress: string,
  ) {
    this.resourceId = configuration.resourceId ?? ResourceID.generate();
    this.slotTable = new TaskSlotTable(
      this.resourceId,
      configuration.numberOfSlots,
      configuration.totalResourceProfile.divide(Math.max(1, configuration.numberOfSlots)),
    );
  }

  /** Starts serving RPCs and registers with the ResourceManager. */
  async start(): Promise<void> {
    this.address = this.rpcService.startServer('taskmanager', this);
    this.location = {
      resourceId: this.resourceId,
      host: this.configuration.host ?? 'localhost',
      dataPort: this.configuration.dataPort ?? -1,
      address: this.address,
    };
    this.resourceManager = await this.rpcService.connect<ResourceManagerGateway>(this.resourceManagerAddress);
    const response = await this.resourceManager.registerTaskExecutor(
      this.address,
      this.location,
      this.slotTable.createSlotReport(),
      this.configuration.totalResourceProfile.toJson(),
    );
    if (response.type !== 'success')
      throw new EddyError(`The ResourceManager rejected this TaskExecutor: ${response.reason}`);
  }

  getLocation(): TaskManagerLocation | undefined {
    return this.location;
  }
  getNumberOfRunningTasks(): number {
    return this.tasks.size;
  }
  getShuffleEnvironment(): ShuffleEnvironment {
    return this.shuffleEnvironment;
  }

  async requestSlot(
    slotId: SlotID,
    jobId: JobID,
    allocationId: AllocationID,
    resourceProfile: ResourceProfileJson,
    targetAddress: string,
    _resourceManagerId: ResourceManagerId,
  ): Promise<Acknowledge> {
    if (this.closed) throw new ComponentClosedError('The TaskExecutor is shut down.');
    const alreadyHeld = this.slotTable.getSlotIndex(allocationId) !== undefined;
    this.slotTable.allocateSlot(slotId.slotNumber, jobId, allocationId);
    let connection: JobConnection;
    try {
      connection = await this.connectToJob(jobId, targetAddress);
    } catch (error) {
      // The ResourceManager takes a refusal to mean the slot is still free: so it must be.
      if (!alreadyHeld) this.slotTable.freeSlot(allocationId);
      throw error;
    }
    // Offer asynchronously: the ResourceManager need not wait for the JobMaster.
    void this.offerSlot(connection, allocationId, slotId, resourceProfile);
    return Acknowledge.get();
  }

  submitTask(tdd: TaskDeploymentDescriptor, jobMasterId: JobMasterId): Promise<Acknowledge> {
    if (this.closed) return Promise.reject(new ComponentClosedError('The TaskExecutor is shut down.'));
    const connection = this.jobConnections.get(tdd.jobId);
    if (connection === undefined) {
      return Promise.reject(new SlotNotActiveError(`This TaskExecutor holds no slot of job ${tdd.jobId}.`));
    }
    connection.jobMasterId ??= jobMasterId;
    if (connection.jobMasterId !== jobMasterId) {
      return Promise.reject(
        new FencingTokenError(
          `Task ${tdd.taskName} comes from JobMaster ${jobMasterId}, not the leader ${connection.jobMasterId}.`,
        ),
      );
    }
    try {
      const invokableClass = this.userCode.resolveInvokable(tdd.jobId, tdd.invokableClassName);
      this.slotTable.addTask(tdd.jobId, tdd.allocationId, tdd.executionId);
      const task = new Task(
        tdd,
        invokableClass,
        this.shuffleEnvironment,
        (state) => {
          this.reportTaskState(connection, state);
        },
        {
          ...(this.configuration.taskCancellationTimeoutMs !== undefined
            ? { cancellationTimeoutMs: this.configuration.taskCancellationTimeoutMs }
            : {}),
          ...(this.configuration.stateMemoryThresholdBytes !== undefined
            ? { stateMemoryThresholdBytes: this.configuration.stateMemoryThresholdBytes }
            : {}),
          checkpointResponder: this.checkpointResponder(connection),
        },
      );
      this.tasks.set(tdd.executionId, task);
      void task.start().then(() => {
        this.tasks.delete(tdd.executionId);
        this.slotTable.removeTask(tdd.allocationId, tdd.executionId);
      });
      return Promise.resolve(Acknowledge.get());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  cancelTask(executionAttemptId: ExecutionAttemptID): Promise<Acknowledge> {
    const task = this.tasks.get(executionAttemptId);
    if (task === undefined) {
      return Promise.reject(
        new EddyError(`Cannot find task ${executionAttemptId} to cancel on this TaskExecutor.`),
      );
    }
    task.cancelExecution();
    return Promise.resolve(Acknowledge.get());
  }

  freeSlot(allocationId: AllocationID, cause?: SerializedError): Promise<Acknowledge> {
    const freed = this.slotTable.freeSlot(allocationId);
    if (freed === undefined) return Promise.resolve(Acknowledge.get());
    const error =
      cause !== undefined ? SerializedError.toError(cause) : new EddyError(`Slot ${allocationId} was freed.`);
    for (const executionId of freed.tasks) this.tasks.get(executionId)?.failExternally(error);
    this.dropJobConnectionsWithoutSlots();
    void this.resourceManager
      ?.notifySlotAvailable(
        this.resourceId,
        { resourceId: this.resourceId, slotNumber: freed.index },
        allocationId,
      )
      .catch(() => undefined);
    return Promise.resolve(Acknowledge.get());
  }

  releasePartitions(_jobId: JobID, partitionIds: readonly ResultPartitionID[]): Promise<void> {
    this.shuffleEnvironment.releasePartitions(partitionIds);
    return Promise.resolve();
  }

  triggerCheckpoint(
    executionAttemptId: ExecutionAttemptID,
    checkpointId: number,
    checkpointTimestamp: number,
    checkpointOptions: CheckpointOptions,
  ): Promise<Acknowledge> {
    const task = this.tasks.get(executionAttemptId);
    if (task === undefined) {
      return Promise.reject(
        new EddyError(
          `Cannot trigger checkpoint ${checkpointId}: task ${executionAttemptId} is not running here.`,
        ),
      );
    }
    task.triggerCheckpointBarrier(checkpointId, checkpointTimestamp, checkpointOptions);
    return Promise.resolve(Acknowledge.get());
  }

  confirmCheckpoint(executionAttemptId: ExecutionAttemptID, checkpointId: number): Promise<Acknowledge> {
    this.tasks.get(executionAttemptId)?.notifyCheckpointComplete(checkpointId);
    return Promise.resolve(Acknowledge.get());
  }

  abortCheckpoint(
    executionAttemptId: ExecutionAttemptID,
    checkpointId: number,
    latestCompletedCheckpointId: number,
  ): Promise<Acknowledge> {
    this.tasks.get(executionAttemptId)?.notifyCheckpointAborted(checkpointId, latestCompletedCheckpointId);
    return Promise.resolve(Acknowledge.get());
  }

  requestSlotReport(): Promise<SlotReport> {
    return Promise.resolve(this.slotTable.createSlotReport());
  }

  /** Cancels every task, waits for them (bounded by their cancellation timeout) and leaves the cluster. */
  async closeAsync(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const running = [...this.tasks.values()];
    for (const task of running)
      task.failExternally(new ComponentClosedError('The TaskExecutor is shutting down.'));
    await Promise.all(running.map((task) => task.getTerminationFuture()));
    // Its JobMasters must stop using its slots now, not after a heartbeat timeout.
    const cause = SerializedError.from(
      new ComponentClosedError(`TaskExecutor ${this.resourceId} shut down.`),
    );
    await Promise.all(
      [...this.jobConnections.values()].map((connection) =>
        connection.gateway.disconnectTaskManager(this.resourceId, cause).catch(() => undefined),
      ),
    );
    this.shuffleEnvironment.close();
    await this.resourceManager
      ?.disconnectTaskManager(
        this.resourceId,
        SerializedError.from(new ComponentClosedError('TaskExecutor shut down.')),
      )
      .catch(() => undefined);
    if (this.address !== undefined) this.rpcService.stopServer(this.address);
  }

  private async connectToJob(jobId: JobID, address: string): Promise<JobConnection> {
    const existing = this.jobConnections.get(jobId);
    if (existing?.address === address) return existing;
    const connection: JobConnection = {
      address,
      gateway: await this.rpcService.connect<JobMasterGateway>(address),
      jobMasterId: undefined,
    };
    this.jobConnections.set(jobId, connection);
    return connection;
  }

  private async offerSlot(
    connection: JobConnection,
    allocationId: AllocationID,
    slotId: SlotID,
    resourceProfile: ResourceProfileJson,
  ): Promise<void> {
    const location = this.location;
    if (location === undefined) return;
    const profile = ResourceProfile.fromJson(resourceProfile).isUnknown()
      ? this.configuration.totalResourceProfile.divide(Math.max(1, this.configuration.numberOfSlots)).toJson()
      : resourceProfile;
    try {
      const accepted = await connection.gateway.offerSlots(location, [
        { allocationId, slotIndex: slotId.slotNumber, resourceProfile: profile },
      ]);
      if (accepted.some((offer) => offer.allocationId === allocationId)) {
        this.slotTable.markSlotActive(allocationId);
        return;
      }
    } catch {
      // The JobMaster is gone: the slot goes back.
    }
    await this.freeSlot(allocationId);
  }

  private checkpointResponder(connection: JobConnection): CheckpointResponder {
    return {
      acknowledgeCheckpoint: (executionId, checkpointId, metrics, snapshot) => {
        connection.gateway
          .acknowledgeCheckpoint(executionId, checkpointId, metrics, snapshot)
          .catch(() => undefined);
      },
      declineCheckpoint: (executionId, checkpointId, reason, cause) => {
        connection.gateway
          .declineCheckpoint(
            executionId,
            checkpointId,
            reason,
            cause === undefined ? undefined : SerializedError.from(cause),
          )
          .catch(() => undefined);
      },
    };
  }

  private reportTaskState(connection: JobConnection, state: TaskExecutionState): void {
    connection.gateway.updateTaskExecutionState(state).catch(() => {
      // The JobMaster is unreachable; it will fail the task through its heartbeat.
    });
  }

  private dropJobConnectionsWithoutSlots(): void {
    for (const jobId of this.jobConnections.keys()) {
      if (this.slotTable.getAllocationsOfJob(jobId).length === 0) this.jobConnections.delete(jobId);
    }
  }
}
