import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import {
  ArchivedExecutionGraph,
  JobAlreadyTerminalError,
  isGloballyTerminalState,
  jobGraphFromJson,
} from '@eddy/runtime';
import type {
  ArchivedExecutionGraphJson,
  ArchivedExecutionJobVertexJson,
  JobID,
  JobResult,
  JobStatus,
  JobStatusMessage,
  JobVertexID,
} from '@eddy/runtime';
import { DataSource } from 'typeorm';
import type { ResponseBody } from '../common/dto/response-body.js';
import { EngineService } from '../engine/engine.service.js';
import type { JobDetailsDto } from './dto/multiple-jobs-details.dto.js';
import { JobVertexNotFoundError, UnsupportedTerminationModeError } from './jobs.errors.js';
import { toJobDetails } from './jobs.mapper.js';

type JobDetails = ResponseBody<JobDetailsDto>;

/** The JobDetails of an archived, globally terminal job (they do not depend on the time any more). */
interface CachedDetails {
  readonly archivedAt: string;
  readonly details: JobDetails;
}

/** Job submission, listing, inspection and cancellation on the engine's Dispatcher. */
@Injectable()
export class JobsService implements OnModuleInit {
  /**
   * Jobs that reached a globally terminal status and were not yet seen in the archive table: the
   * Dispatcher answers them from memory until they are stored.
   */
  private readonly unsettled = new Set<JobID>();
  /** JobDetails of archived jobs by job ID, valid while their `archived_at` is unchanged. */
  private readonly detailsCache = new Map<JobID, CachedDetails>();

  constructor(
    private readonly engine: EngineService,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.engine.dispatcher.onJobStatusChange((jobId, status) => {
      if (isGloballyTerminalState(status)) this.unsettled.add(jobId);
    });
  }

  listJobs(): Promise<JobStatusMessage[]> {
    return this.engine.dispatcher.listJobs();
  }

  /**
   * Flink's JobDetails of every job, in the Dispatcher's order (archived jobs oldest first, then
   * running ones). Archived jobs come from one query over the archive's listing columns, with each
   * job's details computed once from its archive and cached while it is not re-archived; only when
   * jobs run (or ended and are not stored yet) is the Dispatcher asked, and only about those jobs.
   */
  async listJobDetails(now: number): Promise<JobDetails[]> {
    const rows: { job_id: JobID; archived_at: string }[] = await this.dataSource.query(
      `SELECT job_id, archived_at::text AS archived_at FROM archived_execution_graphs
       ORDER BY archived_at ASC, job_id ASC`,
    );
    const archived = new Map<JobID, string>();
    for (const row of rows) archived.set(row.job_id, row.archived_at);
    for (const jobId of this.unsettled) if (archived.has(jobId)) this.unsettled.delete(jobId);
    for (const jobId of this.detailsCache.keys()) if (!archived.has(jobId)) this.detailsCache.delete(jobId);
    const missing = rows
      .filter((row) => this.detailsCache.get(row.job_id)?.archivedAt !== row.archived_at)
      .map((row) => row.job_id);
    const fresh = new Map<JobID, JobDetails>();
    if (missing.length > 0) {
      const archives: { job_id: JobID; archived_at: string; archive: ArchivedExecutionGraphJson }[] =
        await this.dataSource.query(
          `SELECT job_id, archived_at::text AS archived_at, archive FROM archived_execution_graphs
           WHERE job_id = ANY($1)`,
          [missing],
        );
      for (const row of archives) {
        const details = toJobDetails(ArchivedExecutionGraph.fromJson(row.archive), now);
        fresh.set(row.job_id, details);
        if (isGloballyTerminalState(details.state))
          this.detailsCache.set(row.job_id, { archivedAt: row.archived_at, details });
      }
    }
    const archivedDetails = (jobId: JobID): JobDetails | undefined =>
      fresh.get(jobId) ?? this.detailsCache.get(jobId)?.details;
    const dispatcher = this.engine.dispatcher;
    if (dispatcher.getNumberOfRunningJobs() === 0 && this.unsettled.size === 0) {
      return rows.flatMap((row) => archivedDetails(row.job_id) ?? []);
    }
    const jobs = await dispatcher.listJobs();
    return Promise.all(
      jobs.map(async (job) => {
        const details = isGloballyTerminalState(job.jobState) ? archivedDetails(job.jobId) : undefined;
        return details ?? toJobDetails(await dispatcher.requestJob(job.jobId), now);
      }),
    );
  }

  /**
   * Builds the job graph from its JSON form and submits it; resolves once it is stored. Rejects
   * with InvalidJobGraphError (nothing stored) or DuplicateJobSubmissionError.
   */
  async submit(jobGraphJson: unknown): Promise<JobID> {
    const jobGraph = jobGraphFromJson(jobGraphJson);
    const submission = await this.engine.cluster.submitJob(jobGraph);
    return submission.getJobID();
  }

  getJob(jobId: JobID): Promise<ArchivedExecutionGraph> {
    return this.engine.dispatcher.requestJob(jobId);
  }

  getStatus(jobId: JobID): Promise<JobStatus> {
    return this.engine.dispatcher.requestJobStatus(jobId);
  }

  /**
   * Flink's job termination: only `cancel` (the default) is supported here. Rejects with
   * JobNotFoundError, or JobAlreadyTerminalError once the job reached a terminal status, even
   * while the Dispatcher is still archiving it.
   */
  async terminate(jobId: JobID, mode: string | undefined): Promise<void> {
    if (mode !== undefined && mode !== 'cancel') throw new UnsupportedTerminationModeError(mode);
    const dispatcher = this.engine.dispatcher;
    const status = await dispatcher.requestJobStatus(jobId);
    if (isGloballyTerminalState(status)) throw new JobAlreadyTerminalError(jobId, status);
    await dispatcher.cancelJob(jobId);
  }

  /** A vertex of the job as it is now or ended; JobVertexNotFoundError for an unknown vertex ID. */
  async getVertex(jobId: JobID, vertexId: string): Promise<ArchivedExecutionJobVertexJson> {
    const graph = await this.engine.dispatcher.requestJob(jobId);
    const vertex = graph.getJobVertex(vertexId.toLowerCase() as JobVertexID);
    if (vertex === undefined) throw new JobVertexNotFoundError(vertexId);
    return vertex;
  }

  /** The job's result once it is globally terminal; undefined while it runs (JobNotFoundError if unknown). */
  async getResultIfTerminal(jobId: JobID): Promise<JobResult | undefined> {
    const dispatcher = this.engine.dispatcher;
    const status = await dispatcher.requestJobStatus(jobId);
    if (!isGloballyTerminalState(status)) return undefined;
    return dispatcher.requestJobResult(jobId);
  }
}
