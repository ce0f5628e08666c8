import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Injectable, Logger } from '@nestjs/common';
import {
  CHECKPOINTS_DIRECTORY,
  CHECKPOINT_DIR_PREFIX,
  Configuration,
  JobResult,
  createCheckpointStorage,
} from '@eddy/runtime';
import type {
  ExecutionGraphInfoStore,
  ExecutionPlanStore,
  JobGraphJson,
  JobID,
  JobResultStore,
} from '@eddy/runtime';

/** What recovery did with the jobs it found stored. */
export interface RecoveryReport {
  /** Resubmitted jobs, with the checkpoint each resumes from (undefined: from scratch or its savepoint). */
  readonly recovered: { readonly jobId: JobID; readonly checkpoint: string | undefined }[];
  /** Jobs that had already ended (a result or archive): only cleaned up, not re-run. */
  readonly cleanedUp: JobID[];
  /** Jobs whose plan could not be resubmitted (left stored, logged). */
  readonly failed: JobID[];
}

export interface JobRecoveryStores {
  readonly executionPlanStore: ExecutionPlanStore;
  readonly jobResultStore: JobResultStore;
  readonly executionGraphInfoStore: ExecutionGraphInfoStore;
}

/**
 * Recovers jobs on service start (Flink's Dispatcher bootstrap after a JobManager failover, see the
 * fault-tolerance notes §1.6): every job whose plan is still stored and that has no job result is
 * resubmitted under its ID, resuming from its latest completed checkpoint when its checkpoint
 * directory holds one (a checkpoint wins over the savepoint it was submitted with). A job with a
 * dirty result is only cleaned up (marked clean, plan dropped), never re-run. Without a checkpoint
 * directory (or without a completed checkpoint in it), a job restarts from scratch (or from the
 * savepoint it was submitted with).
 */
@Injectable()
export class JobRecoveryService {
  private readonly logger = new Logger(JobRecoveryService.name);

  async recover(
    stores: JobRecoveryStores,
    clusterConfiguration: Configuration,
    submit: (jobGraphJson: JobGraphJson) => Promise<void>,
  ): Promise<RecoveryReport> {
    const report: RecoveryReport = { recovered: [], cleanedUp: [], failed: [] };
    for (const jobId of await stores.executionPlanStore.getJobIds()) {
      try {
        if (await this.cleanUpIfEnded(stores, jobId)) {
          report.cleanedUp.push(jobId);
          continue;
        }
        const plan = await stores.executionPlanStore.recoverExecutionPlan(jobId);
        if (plan === undefined) continue;
        const configuration = new Configuration(clusterConfiguration).addAll(
          Configuration.fromMap(plan.configuration ?? {}),
        );
        const checkpoint = await findLatestCheckpoint(configuration, jobId);
        const recovered: JobGraphJson = {
          ...plan,
          jid: jobId,
          ...(checkpoint !== undefined
            ? {
                savepointRestore: {
                  path: checkpoint,
                  allowNonRestoredState: false,
                  claimMode: 'CLAIM' as const,
                },
              }
            : {}),
        };
        await submit(recovered);
        report.recovered.push({ jobId, checkpoint });
        this.logger.log(
          `Recovered job ${jobId}${checkpoint !== undefined ? ` from checkpoint ${checkpoint}` : ''}.`,
        );
      } catch (error) {
        report.failed.push(jobId);
        this.logger.error(`Could not recover job ${jobId}: ${(error as Error).message}`);
      }
    }
    // Dirty results whose plan is already gone only need marking clean.
    for (const dirty of await stores.jobResultStore.getDirtyResults()) {
      await stores.jobResultStore.markResultAsClean(dirty.jobId);
    }
    return report;
  }

  /** A job that already ended globally is only cleaned up; true when it was one. */
  private async cleanUpIfEnded(stores: JobRecoveryStores, jobId: JobID): Promise<boolean> {
    const entry = await stores.jobResultStore.getJobResultEntry(jobId);
    if (entry === undefined) {
      const archived = await stores.executionGraphInfoStore.get(jobId);
      if (archived === undefined) return false;
      // Ended and archived, but the service stopped before its result was written.
      await stores.jobResultStore.createDirtyResult(JobResult.fromArchivedExecutionGraph(archived).toJson());
    }
    await stores.executionPlanStore.removeExecutionPlan(jobId);
    await stores.jobResultStore.markResultAsClean(jobId);
    return true;
  }
}

/**
 * The pointer of the job's newest completed checkpoint in its checkpoint directory:
 * `<dir>/<jobId>/chk-<n>` with the highest n whose `_metadata` the engine's checkpoint storage
 * resolves (for this job). Undefined without a checkpoint directory or without such a checkpoint.
 */
export async function findLatestCheckpoint(
  configuration: Configuration,
  jobId: JobID,
): Promise<string | undefined> {
  const directory = configuration.get(CHECKPOINTS_DIRECTORY)?.trim();
  if (directory === undefined || directory === '') return undefined;
  const jobDirectory = join(directory.startsWith('file:') ? fileURLToPath(directory) : directory, jobId);
  let names: string[];
  try {
    names = await readdir(jobDirectory);
  } catch {
    return undefined;
  }
  const pattern = new RegExp(`^${CHECKPOINT_DIR_PREFIX}(\\d+)$`);
  const candidates = names
    .map((name) => ({ name, n: Number(pattern.exec(name)?.[1] ?? Number.NaN) }))
    .filter((candidate) => Number.isSafeInteger(candidate.n))
    .sort((a, b) => b.n - a.n);
  const storage = createCheckpointStorage(configuration);
  for (const candidate of candidates) {
    const pointer = join(jobDirectory, candidate.name);
    try {
      const resolved = await storage.resolveCheckpoint(pointer);
      if (resolved.metadata.jobId === jobId) return pointer;
    } catch {
      // No (complete) _metadata: an aborted or half-written checkpoint; try the next older one.
    }
  }
  return undefined;
}
