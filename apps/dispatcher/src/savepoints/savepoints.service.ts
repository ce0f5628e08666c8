import { Inject, Injectable } from '@nestjs/common';
import { SAVEPOINT_DIRECTORY, SavepointFormatType } from '@eddy/runtime';
import type { JobID } from '@eddy/runtime';
import { EngineService } from '../engine/engine.service.js';
import { AsyncOperationsService } from '../operations/async-operations.service.js';
import type {
  AsyncOperationKind,
  AsyncOperationState,
  OperationKey,
} from '../operations/async-operations.service.js';
import { BadOperationRequestError } from '../operations/operations.errors.js';
import { optionalBoolean, optionalEnum, optionalString, requestFields } from '../operations/request-body.js';
import { parseTriggerId } from '../operations/trigger-id.js';
import { SAVEPOINT_ROOTS, SavepointRoots } from './savepoint-roots.js';

/** Savepoints and stop-with-savepoint share the poll route `/jobs/:jobid/savepoints/:triggerid`. */
const SAVEPOINT_KINDS: readonly AsyncOperationKind[] = ['savepoint', 'stop-with-savepoint'];
const FORMAT_TYPES = Object.values(SavepointFormatType);

function optionalTriggerId(fields: Readonly<Record<string, unknown>>): { triggerId?: string } {
  const value = fields.triggerId;
  return value === undefined || value === null ? {} : { triggerId: parseTriggerId(value) };
}

/** Savepoints, stop-with-savepoint and savepoint disposal, each an asynchronous operation. */
@Injectable()
export class SavepointsService {
  constructor(
    private readonly engine: EngineService,
    private readonly operations: AsyncOperationsService,
    @Inject(SAVEPOINT_ROOTS) private readonly roots: SavepointRoots,
  ) {}

  /**
   * `POST /jobs/:jobid/savepoints` (`{"target-directory"?, "cancel-job"?, "formatType"?, "triggerId"?}`);
   * `cancel-job` stops the job with the savepoint (without draining).
   */
  async trigger(jobId: JobID, body: unknown): Promise<string> {
    const fields = requestFields(body);
    const targetDirectory = optionalString(fields, 'target-directory');
    const cancelJob = optionalBoolean(fields, 'cancel-job') ?? false;
    const formatType = optionalEnum(fields, 'formatType', FORMAT_TYPES) ?? SavepointFormatType.CANONICAL;
    const key: OperationKey = {
      jobId,
      kind: cancelJob ? 'stop-with-savepoint' : 'savepoint',
      ...optionalTriggerId(fields),
    };
    const existing = await this.operations.existing(key, SAVEPOINT_KINDS);
    if (existing !== undefined) return existing;
    const directory = await this.directory(jobId, targetDirectory, 'target-directory');
    const cluster = this.engine.cluster;
    return this.operations.trigger(key, async () => ({
      location: cancelJob
        ? await cluster.stopWithSavepoint(jobId, directory, false)
        : await cluster.triggerSavepoint(jobId, directory, formatType),
    }));
  }

  /** `POST /jobs/:jobid/stop` (`{"targetDirectory"?, "drain"?, "formatType"?, "triggerId"?}`). */
  async stop(jobId: JobID, body: unknown): Promise<string> {
    const fields = requestFields(body);
    const targetDirectory = optionalString(fields, 'targetDirectory');
    const drain = optionalBoolean(fields, 'drain') ?? false;
    optionalEnum(fields, 'formatType', FORMAT_TYPES);
    const key: OperationKey = { jobId, kind: 'stop-with-savepoint', ...optionalTriggerId(fields) };
    const existing = await this.operations.existing(key, SAVEPOINT_KINDS);
    if (existing !== undefined) return existing;
    const directory = await this.directory(jobId, targetDirectory, 'targetDirectory');
    const cluster = this.engine.cluster;
    return this.operations.trigger(key, async () => ({
      location: await cluster.stopWithSavepoint(jobId, directory, drain),
    }));
  }

  status(jobId: JobID, triggerId: string): Promise<AsyncOperationState> {
    return this.operations.get(jobId, triggerId, SAVEPOINT_KINDS);
  }

  /** `POST /savepoint-disposal` (`{"savepoint-path"}`): the path must lie inside the savepoint roots. */
  async dispose(body: unknown): Promise<string> {
    const fields = requestFields(body);
    const path = optionalString(fields, 'savepoint-path');
    if (path === undefined)
      throw new BadOperationRequestError(
        "Bad request received. Request did not conform to expected format: 'savepoint-path' is required.",
      );
    const local = await this.roots.check(path, 'savepoint path');
    const cluster = this.engine.cluster;
    return this.operations.trigger({ jobId: null, kind: 'savepoint-disposal' }, async () => {
      await cluster.disposeSavepoint(local);
      return {};
    });
  }

  disposalStatus(triggerId: string): Promise<AsyncOperationState> {
    return this.operations.get(null, triggerId, ['savepoint-disposal']);
  }

  /**
   * The directory to write the savepoint into: the request's, else the job's configured
   * `execution.checkpointing.savepoint-dir`; either must lie inside the savepoint roots. 404 for an
   * unknown job, 400 when there is no directory.
   */
  private async directory(jobId: JobID, requested: string | undefined, property: string): Promise<string> {
    const graph = await this.engine.dispatcher.requestJob(jobId);
    if (requested !== undefined) return this.roots.check(requested, 'target directory');
    const configured = graph.getJobConfiguration().get(SAVEPOINT_DIRECTORY);
    if (configured === undefined || configured.trim() === '')
      throw new BadOperationRequestError(
        `Config key [${SAVEPOINT_DIRECTORY.key}] is not set. Property [${property}] must be provided.`,
      );
    return this.roots.check(configured.trim(), 'configured savepoint directory');
  }
}
