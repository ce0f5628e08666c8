import { Acknowledge, deferred } from '../core/async.js';
import type { Deferred } from '../core/async.js';
import type { Clock, ScheduledExecutor } from '../core/clock.js';
import type { Configuration } from '../core/configuration.js';
import { SerializedError } from '../core/errors.js';
import type { JobID } from '../core/ids.js';
import type { InvokableClass } from '../execution/invokable.js';
import { ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.js';
import { JobStatus } from '../executiongraph/job-status.js';
import type { LibraryCacheManager } from '../blob/library-cache-manager.js';
import type { JobGraph } from '../jobgraph/job-graph.js';
import { jobGraphToJson } from '../jobgraph/job-graph-json.js';
import { checkJobGraph } from '../jobgraph/job-graph-validator.js';
import { JobMaster } from '../jobmaster/job-master.js';
import { DEFAULT_PARALLELISM } from '../jobmaster/job-master-options.js';
import { SuppressRestartsError } from '../scheduler/execution-failure-handler.js';
import type { RpcService } from '../rpc/rpc-service.js';
import type { SavepointFormatType } from '../checkpoint/checkpoint-types.js';
import { createCheckpointStorage } from '../checkpoint/storage/checkpoint-storage-options.js';
import {
  DuplicateJobSubmissionError,
  JobAlreadyTerminalError,
  JobNotFoundError,
  JobNotRunningError,
} from './errors.js';
import { JobResult } from './job-result.js';
import type { ExecutionGraphInfoStore, ExecutionPlanStore, JobResultStore } from './stores.js';
import {
  InMemoryExecutionGraphInfoStore,
  InMemoryExecutionPlanStore,
  InMemoryJobResultStore,
} from './stores.js';

/** How often storing an ended job's records is tried (with a growing delay) before it stays in memory. */
const MAX_PERSIST_ATTEMPTS = 8;

/** A line of the job list (Flink's JobStatusMessage). */
export interface JobStatusMessage {
  readonly jobId: JobID;
  readonly jobName: string;
  readonly jobState: JobStatus;
  readonly startTime: number;
}

export interface DispatcherServices {
  readonly rpcService: RpcService;
  readonly resourceManagerAddress: string;
  readonly configuration: Configuration;
  readonly clock: Clock;
  readonly executor: ScheduledExecutor;
  readonly libraryCacheManager: LibraryCacheManager;
  readonly executionPlanStore?: ExecutionPlanStore;
  readonly jobResultStore?: JobResultStore;
  readonly executionGraphInfoStore?: ExecutionGraphInfoStore;
}

/** Called whenever a job changes status (for live events). */
export type JobStatusChangeListener = (jobId: JobID, status: JobStatus, timestamp: number) => void;

interface RunningJob {
  readonly jobGraph: JobGraph;
  readonly submittedAt: number;
  jobMaster: JobMaster | undefined;
  cancelRequested: boolean;
  /** Set by closeAsync({ suspend: true }): the job ends SUSPENDED and its stored records stay. */
  suspendRequested: boolean;
  readonly result: Deferred<JobResult>;
}

/**
 * The cluster's entry point for jobs (Flink's Dispatcher): validates and stores submitted jobs,
 * starts a JobMaster for each, answers status and listing requests for running and ended jobs,
 * and keeps the archive and result of every job that ended. Storage is behind ports (in memory
 * here; Postgres in the Dispatcher service).
 */
export class Dispatcher {
  private readonly running = new Map<JobID, RunningJob>();
  /** Ended jobs whose archive or result could not be stored yet. */
  private readonly unpersisted = new Map<JobID, { archived: ArchivedExecutionGraph; result: JobResult }>();
  private readonly planStore: ExecutionPlanStore;
  private readonly resultStore: JobResultStore;
  private readonly archiveStore: ExecutionGraphInfoStore;
  private readonly listeners: JobStatusChangeListener[] = [];

  constructor(private readonly services: DispatcherServices) {
    this.planStore = services.executionPlanStore ?? new InMemoryExecutionPlanStore();
    this.resultStore = services.jobResultStore ?? new InMemoryJobResultStore();
    this.archiveStore = services.executionGraphInfoStore ?? new InMemoryExecutionGraphInfoStore();
  }

  onJobStatusChange(listener: JobStatusChangeListener): void {
    this.listeners.push(listener);
  }

  /**
   * Validates and stores the job, then starts its JobMaster. Resolves once the job is accepted;
   * rejects with InvalidJobGraphError (every problem listed) or DuplicateJobSubmissionError.
   */
  async submitJob(jobGraph: JobGraph): Promise<Acknowledge> {
    const jobId = jobGraph.getJobID();
    if (
      this.running.has(jobId) ||
      this.unpersisted.has(jobId) ||
      (await this.archiveStore.get(jobId)) !== undefined
    )
      throw new DuplicateJobSubmissionError(jobId);
    const classes = new Map<string, InvokableClass>();
    for (const vertex of jobGraph.getVertices()) {
      const cls = vertex.getInvokableClass();
      const name = vertex.getInvokableClassName();
      if (cls !== undefined && name !== undefined) classes.set(name, cls);
    }
    checkJobGraph(jobGraph, {
      isKnownInvokable: (name) =>
        classes.has(name) || this.services.libraryCacheManager.isKnown(undefined, name),
      defaultParallelism: this.services.configuration.get(DEFAULT_PARALLELISM),
    });
    if (this.running.has(jobId)) throw new DuplicateJobSubmissionError(jobId);
    const job: RunningJob = {
      jobGraph,
      submittedAt: this.services.clock.absoluteTimeMillis(),
      jobMaster: undefined,
      cancelRequested: false,
      suspendRequested: false,
      result: deferred<JobResult>(),
    };
    this.running.set(jobId, job);
    try {
      await this.planStore.putExecutionPlan(jobGraphToJson(jobGraph));
    } catch (error) {
      this.running.delete(jobId);
      throw error;
    }
    this.services.libraryCacheManager.registerJob(jobId, classes);
    this.notify(jobId, JobStatus.INITIALIZING, job.submittedAt);
    this.runJob(job).catch(() => undefined);
    return Acknowledge.get();
  }

  private async runJob(job: RunningJob): Promise<void> {
    const jobId = job.jobGraph.getJobID();
    let jobMaster: JobMaster;
    try {
      if (job.suspendRequested || job.cancelRequested) {
        const state = job.suspendRequested ? JobStatus.SUSPENDED : JobStatus.CANCELED;
        await this.jobReachedTerminalState(job, this.sparseArchive(job, state));
        return;
      }
      jobMaster = new JobMaster(job.jobGraph, {
        rpcService: this.services.rpcService,
        resourceManagerAddress: this.services.resourceManagerAddress,
        clusterConfiguration: this.services.configuration,
        clock: this.services.clock,
        executor: this.services.executor,
        initializationTimestamp: job.submittedAt,
      });
    } catch (error) {
      await this.jobReachedTerminalState(job, this.sparseArchive(job, JobStatus.FAILED, error));
      return;
    }
    job.jobMaster = jobMaster;
    jobMaster
      .getScheduler()
      .getExecutionGraph()
      .registerJobStatusListener((id, status, timestamp) => {
        this.notify(id, status, timestamp);
      });
    this.notify(jobId, JobStatus.CREATED, this.services.clock.absoluteTimeMillis());
    void jobMaster
      .getResultFuture()
      .then((archived) => this.jobReachedTerminalState(job, archived))
      .catch(() => undefined);
    try {
      await jobMaster.start();
      // The user may have cancelled while the JobMaster started.
      if (isSuspendRequested(job)) await jobMaster.suspend();
      else if (isCancelRequested(job)) await jobMaster.cancel();
    } catch (error) {
      // A JobMaster that could not start has nothing to restart: the job fails.
      jobMaster.getScheduler().handleGlobalFailure(
        new SuppressRestartsError(
          `The JobMaster of job ${jobId} could not start: ${asError(error).message}`,
          {
            cause: error,
          },
        ),
      );
    }
  }

  private sparseArchive(job: RunningJob, state: JobStatus, error?: unknown): ArchivedExecutionGraph {
    const now = this.services.clock.absoluteTimeMillis();
    return ArchivedExecutionGraph.createSparse({
      jobId: job.jobGraph.getJobID(),
      jobName: job.jobGraph.getName(),
      jobType: job.jobGraph.getJobType(),
      state,
      stateTimestamps: { INITIALIZING: job.submittedAt, [state]: now },
      ...(error !== undefined
        ? { failureInfo: { exception: SerializedError.from(error), timestamp: now } }
        : {}),
      jobConfiguration: job.jobGraph.getJobConfiguration(),
    });
  }

  private async jobReachedTerminalState(job: RunningJob, archived: ArchivedExecutionGraph): Promise<void> {
    const jobId = job.jobGraph.getJobID();
    const result = JobResult.fromArchivedExecutionGraph(archived);
    if (archived.getState() === JobStatus.SUSPENDED) {
      // Locally terminal only: the stored plan stays and no result or archive is written, so a
      // Dispatcher started on the same stores recovers the job.
      this.services.libraryCacheManager.unregisterJob(jobId);
      this.running.delete(jobId);
      if (job.jobMaster === undefined) {
        this.notify(jobId, archived.getState(), archived.getStatusTimestamp(archived.getState()));
      }
      job.result.resolve(result);
      return;
    }
    // Until its records are stored, the ended job is answered from memory, so nothing is lost
    // when a store fails; storing is retried with a growing delay.
    this.unpersisted.set(jobId, { archived, result });
    this.services.libraryCacheManager.unregisterJob(jobId);
    this.running.delete(jobId);
    if (job.jobMaster === undefined) {
      this.notify(jobId, archived.getState(), archived.getStatusTimestamp(archived.getState()));
    }
    // The result is given once it is stored (or, if storing failed, kept in memory and retried).
    await this.persistTerminalState(jobId, archived, result, 1);
    job.result.resolve(result);
  }

  private async persistTerminalState(
    jobId: JobID,
    archived: ArchivedExecutionGraph,
    result: JobResult,
    attempt: number,
  ): Promise<void> {
    try {
      if ((await this.archiveStore.get(jobId)) === undefined) await this.archiveStore.put(archived);
      if ((await this.resultStore.getJobResultEntry(jobId)) === undefined) {
        await this.resultStore.createDirtyResult(result.toJson());
      }
      await this.planStore.removeExecutionPlan(jobId);
      await this.resultStore.markResultAsClean(jobId);
      this.unpersisted.delete(jobId);
    } catch {
      if (attempt >= MAX_PERSIST_ATTEMPTS) return; // kept in memory for as long as this Dispatcher runs
      this.services.executor.schedule(
        () => {
          void this.persistTerminalState(jobId, archived, result, attempt + 1);
        },
        Math.min(60_000, 1000 * 2 ** (attempt - 1)),
      );
    }
  }

  async listJobs(): Promise<JobStatusMessage[]> {
    const messages: JobStatusMessage[] = [];
    const stored = await this.archiveStore.list().catch(() => []);
    const archives = [
      ...stored.filter((a) => !this.unpersisted.has(a.getJobID())),
      ...[...this.unpersisted.values()].map((u) => u.archived),
    ];
    for (const archived of archives) {
      if (this.running.has(archived.getJobID())) continue;
      messages.push({
        jobId: archived.getJobID(),
        jobName: archived.getJobName(),
        jobState: archived.getState(),
        startTime: archived.getStatusTimestamp(JobStatus.INITIALIZING),
      });
    }
    for (const [jobId, job] of this.running) {
      messages.push({
        jobId,
        jobName: job.jobGraph.getName(),
        jobState: this.runningStatus(job),
        startTime: job.submittedAt,
      });
    }
    return messages;
  }

  async requestJobStatus(jobId: JobID): Promise<JobStatus> {
    const job = this.running.get(jobId);
    if (job !== undefined) return this.runningStatus(job);
    return (await this.requestArchived(jobId)).getState();
  }

  /** The job's graph as it is now (running) or was at its end. */
  async requestJob(jobId: JobID): Promise<ArchivedExecutionGraph> {
    const job = this.running.get(jobId);
    if (job !== undefined) return job.jobMaster?.archive() ?? this.sparseArchive(job, JobStatus.INITIALIZING);
    return this.requestArchived(jobId);
  }

  /** Resolves when the job is globally terminal. */
  async requestJobResult(jobId: JobID): Promise<JobResult> {
    const job = this.running.get(jobId);
    if (job !== undefined) return job.result.promise;
    const unpersisted = this.unpersisted.get(jobId);
    if (unpersisted !== undefined) return unpersisted.result;
    const entry = await this.resultStore.getJobResultEntry(jobId);
    if (entry !== undefined) return new JobResult(entry.jobResult);
    throw new JobNotFoundError(jobId);
  }

  async cancelJob(jobId: JobID): Promise<Acknowledge> {
    const job = this.running.get(jobId);
    if (job === undefined) {
      const archived = await this.requestArchived(jobId);
      throw new JobAlreadyTerminalError(jobId, archived.getState());
    }
    job.cancelRequested = true;
    if (job.jobMaster !== undefined) await job.jobMaster.cancel();
    return Acknowledge.get();
  }

  /** Triggers a checkpoint of a running job; resolves with its ID once completed. */
  triggerCheckpoint(jobId: JobID): Promise<number> {
    return this.runningJobMaster(jobId).triggerCheckpoint();
  }

  /** Triggers a savepoint of a running job; resolves with its path. */
  triggerSavepoint(
    jobId: JobID,
    targetDirectory: string | null,
    formatType: SavepointFormatType = 'CANONICAL',
  ): Promise<string> {
    return this.runningJobMaster(jobId).triggerSavepoint(targetDirectory, formatType);
  }

  /** Stops a running job with a savepoint; resolves with its path once the job finished. */
  stopWithSavepoint(jobId: JobID, targetDirectory: string | null, drain = false): Promise<string> {
    return this.runningJobMaster(jobId).stopWithSavepoint(targetDirectory, drain);
  }

  /** Deletes a savepoint (or retained checkpoint) directory; refuses anything that is not one. */
  async disposeSavepoint(savepointPath: string): Promise<Acknowledge> {
    await createCheckpointStorage(this.services.configuration).disposeSnapshot(savepointPath);
    return Acknowledge.get();
  }

  /** The JobMaster of a running job in this process (Flink's `getJobMasterGateway`), if started. */
  getJobMaster(jobId: JobID): JobMaster | undefined {
    return this.running.get(jobId)?.jobMaster;
  }

  private runningJobMaster(jobId: JobID): JobMaster {
    const job = this.running.get(jobId);
    if (job === undefined) throw new JobNotFoundError(jobId);
    if (job.jobMaster === undefined) throw new JobNotRunningError(jobId);
    return job.jobMaster;
  }

  /**
   * Cancels every running job and waits until they ended. With `suspend`, the jobs end SUSPENDED
   * instead (Flink's Dispatcher on losing leadership): their stored plans stay and no result or
   * archive is written, so a Dispatcher started later on the same stores can recover them.
   */
  async closeAsync(options: { readonly suspend?: boolean } = {}): Promise<void> {
    const jobs = [...this.running.values()];
    for (const job of jobs) {
      if (options.suspend === true) {
        job.suspendRequested = true;
        if (job.jobMaster !== undefined) await job.jobMaster.suspend();
      } else {
        job.cancelRequested = true;
        if (job.jobMaster !== undefined) await job.jobMaster.cancel();
      }
    }
    await Promise.all(jobs.map((job) => job.result.promise));
  }

  getNumberOfRunningJobs(): number {
    return this.running.size;
  }

  private runningStatus(job: RunningJob): JobStatus {
    return job.jobMaster?.getScheduler().requestJobStatus() ?? JobStatus.INITIALIZING;
  }

  private async requestArchived(jobId: JobID): Promise<ArchivedExecutionGraph> {
    const unpersisted = this.unpersisted.get(jobId);
    if (unpersisted !== undefined) return unpersisted.archived;
    const archived = await this.archiveStore.get(jobId);
    if (archived === undefined) throw new JobNotFoundError(jobId);
    return archived;
  }

  private notify(jobId: JobID, status: JobStatus, timestamp: number): void {
    for (const listener of this.listeners) listener(jobId, status, timestamp);
  }
}

function isCancelRequested(job: RunningJob): boolean {
  return job.cancelRequested;
}

function isSuspendRequested(job: RunningJob): boolean {
  return job.suspendRequested;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
