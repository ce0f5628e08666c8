import { Injectable } from '@nestjs/common';
import { CHECKPOINTS_DIRECTORY, findCheckpointStats } from '@eddy/runtime';
import type {
  ArchivedExecutionGraph,
  CheckpointCoordinatorConfigurationJson,
  CheckpointStats,
  CheckpointStatsSnapshot,
  JobID,
  TaskCheckpointStats,
} from '@eddy/runtime';
import { EngineService } from '../engine/engine.service.js';
import { AsyncOperationsService } from '../operations/async-operations.service.js';
import type { AsyncOperationState } from '../operations/async-operations.service.js';
import { CheckpointResourceNotFoundError } from '../operations/operations.errors.js';
import { optionalEnum, requestFields } from '../operations/request-body.js';
import { parseTriggerId } from '../operations/trigger-id.js';

const CHECKPOINT_TYPES = ['CONFIGURED', 'FULL', 'INCREMENTAL'] as const;

/** A job's checkpoint statistics and configuration, and checkpoints triggered through REST. */
@Injectable()
export class CheckpointsService {
  constructor(
    private readonly engine: EngineService,
    private readonly operations: AsyncOperationsService,
  ) {}

  /** The statistics snapshot; 404 "Checkpointing has not been enabled." for a job without checkpointing. */
  async statistics(jobId: JobID): Promise<CheckpointStatsSnapshot> {
    const snapshot = (await this.engine.dispatcher.requestJob(jobId)).getCheckpointStatsSnapshot();
    if (snapshot === undefined)
      throw new CheckpointResourceNotFoundError('Checkpointing has not been enabled.');
    return snapshot;
  }

  /** The coordinator configuration and the checkpoint storage's name. */
  async configuration(
    jobId: JobID,
  ): Promise<{ config: CheckpointCoordinatorConfigurationJson; checkpointStorage: string }> {
    const graph: ArchivedExecutionGraph = await this.engine.dispatcher.requestJob(jobId);
    const config = graph.toJson().checkpointConfiguration;
    if (config === undefined)
      throw new CheckpointResourceNotFoundError(`Checkpointing is not enabled for this job (${jobId}).`);
    const directory = graph.getJobConfiguration().get(CHECKPOINTS_DIRECTORY);
    const fileSystem = directory !== undefined && directory.trim() !== '';
    return {
      config,
      checkpointStorage: fileSystem ? 'FileSystemCheckpointStorage' : 'JobManagerCheckpointStorage',
    };
  }

  /** One checkpoint from the history or the latest ones; 404 when unknown. */
  async checkpoint(jobId: JobID, checkpointId: number): Promise<CheckpointStats> {
    const checkpoint = findCheckpointStats(await this.statistics(jobId), checkpointId);
    if (checkpoint === undefined)
      throw new CheckpointResourceNotFoundError(
        `Could not find checkpointing statistics for checkpoint ${checkpointId}.`,
      );
    return checkpoint;
  }

  /** One task of one checkpoint; 404 when the checkpoint or the task is unknown. */
  async task(jobId: JobID, checkpointId: number, vertexId: string): Promise<TaskCheckpointStats> {
    const checkpoint = await this.checkpoint(jobId, checkpointId);
    const task = Object.entries(checkpoint.tasks).find(([id]) => id === vertexId)?.[1];
    if (task === undefined)
      throw new CheckpointResourceNotFoundError(`There is no checkpoint statistics for task ${vertexId}.`);
    return task;
  }

  /**
   * Triggers a checkpoint (body `{checkpointType?, triggerId?}`); resolves with the trigger ID once
   * recorded. Re-posting a (job, triggerId) key answers the same ID and starts nothing.
   */
  async trigger(jobId: JobID, body: unknown): Promise<string> {
    const fields = requestFields(body);
    optionalEnum(fields, 'checkpointType', CHECKPOINT_TYPES);
    const triggerId =
      fields.triggerId === undefined || fields.triggerId === null
        ? undefined
        : parseTriggerId(fields.triggerId);
    const key = { jobId, kind: 'checkpoint' as const, ...(triggerId !== undefined ? { triggerId } : {}) };
    const existing = await this.operations.existing(key);
    if (existing !== undefined) return existing;
    await this.engine.dispatcher.requestJob(jobId);
    const cluster = this.engine.cluster;
    return this.operations.trigger(key, async () => ({
      checkpointId: await cluster.triggerCheckpoint(jobId),
    }));
  }

  status(jobId: JobID, triggerId: string): Promise<AsyncOperationState> {
    return this.operations.get(jobId, triggerId, ['checkpoint']);
  }
}
