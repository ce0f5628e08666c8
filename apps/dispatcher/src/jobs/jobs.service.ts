import { Injectable } from '@nestjs/common';
import { JobAlreadyTerminalError, isGloballyTerminalState, jobGraphFromJson } from '@eddy/runtime';
import type {
  ArchivedExecutionGraph,
  ArchivedExecutionJobVertexJson,
  JobID,
  JobResult,
  JobStatus,
  JobStatusMessage,
  JobVertexID,
} from '@eddy/runtime';
import { EngineService } from '../engine/engine.service.js';
import { JobVertexNotFoundError, UnsupportedTerminationModeError } from './jobs.errors.js';

/** Job submission, listing, inspection and cancellation on the engine's Dispatcher. */
@Injectable()
export class JobsService {
  constructor(private readonly engine: EngineService) {}

  listJobs(): Promise<JobStatusMessage[]> {
    return this.engine.dispatcher.listJobs();
  }

  /** Every job's graph as it is now (running) or ended, oldest first. */
  async listJobGraphs(): Promise<ArchivedExecutionGraph[]> {
    const dispatcher = this.engine.dispatcher;
    const jobs = await dispatcher.listJobs();
    return Promise.all(jobs.map((job) => dispatcher.requestJob(job.jobId)));
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
