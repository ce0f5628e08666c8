import { IllegalStateError } from '../core/errors.js';
import type { JobID } from '../core/ids.js';
import type { ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.js';
import type { JobGraphJson } from '../jobgraph/job-graph-json.js';
import type { JobResultJson } from './job-result.js';

/**
 * Submitted job graphs that have not ended yet (Flink's ExecutionPlanStore, formerly JobGraphStore):
 * what a restarted Dispatcher recovers. A job is stored before its submission is acknowledged.
 */
export interface ExecutionPlanStore {
  putExecutionPlan(jobGraph: JobGraphJson): Promise<void>;
  removeExecutionPlan(jobId: JobID): Promise<void>;
  getJobIds(): Promise<JobID[]>;
  recoverExecutionPlan(jobId: JobID): Promise<JobGraphJson | undefined>;
}

/** An entry of the JobResultStore: dirty until the job's resources are cleaned up (FLIP-194). */
export interface JobResultEntry {
  readonly jobResult: JobResultJson;
  readonly clean: boolean;
}

/** Results of globally terminal jobs (Flink's JobResultStore). */
export interface JobResultStore {
  createDirtyResult(jobResult: JobResultJson): Promise<void>;
  markResultAsClean(jobId: JobID): Promise<void>;
  getJobResultEntry(jobId: JobID): Promise<JobResultEntry | undefined>;
  getDirtyResults(): Promise<JobResultJson[]>;
}

/** Archived execution graphs of ended jobs (Flink's ExecutionGraphInfoStore). */
export interface ExecutionGraphInfoStore {
  put(archived: ArchivedExecutionGraph): Promise<void>;
  get(jobId: JobID): Promise<ArchivedExecutionGraph | undefined>;
  /** Every stored job, newest last. */
  list(): Promise<ArchivedExecutionGraph[]>;
}

export class InMemoryExecutionPlanStore implements ExecutionPlanStore {
  private readonly plans = new Map<JobID, JobGraphJson>();
  putExecutionPlan(jobGraph: JobGraphJson): Promise<void> {
    if (jobGraph.jid !== undefined) this.plans.set(jobGraph.jid as JobID, structuredClone(jobGraph));
    return Promise.resolve();
  }
  removeExecutionPlan(jobId: JobID): Promise<void> {
    this.plans.delete(jobId);
    return Promise.resolve();
  }
  getJobIds(): Promise<JobID[]> {
    return Promise.resolve([...this.plans.keys()]);
  }
  recoverExecutionPlan(jobId: JobID): Promise<JobGraphJson | undefined> {
    const plan = this.plans.get(jobId);
    return Promise.resolve(plan === undefined ? undefined : structuredClone(plan));
  }
}

export class InMemoryJobResultStore implements JobResultStore {
  private readonly entries = new Map<JobID, JobResultEntry>();
  createDirtyResult(jobResult: JobResultJson): Promise<void> {
    if (this.entries.has(jobResult.jobId)) {
      return Promise.reject(
        new IllegalStateError(`The job result store already contains an entry for job ${jobResult.jobId}.`),
      );
    }
    this.entries.set(jobResult.jobId, { jobResult, clean: false });
    return Promise.resolve();
  }
  markResultAsClean(jobId: JobID): Promise<void> {
    const entry = this.entries.get(jobId);
    if (entry !== undefined) this.entries.set(jobId, { ...entry, clean: true });
    return Promise.resolve();
  }
  getJobResultEntry(jobId: JobID): Promise<JobResultEntry | undefined> {
    return Promise.resolve(this.entries.get(jobId));
  }
  getDirtyResults(): Promise<JobResultJson[]> {
    return Promise.resolve([...this.entries.values()].filter((e) => !e.clean).map((e) => e.jobResult));
  }
}

export class InMemoryExecutionGraphInfoStore implements ExecutionGraphInfoStore {
  private readonly graphs = new Map<JobID, ArchivedExecutionGraph>();
  put(archived: ArchivedExecutionGraph): Promise<void> {
    this.graphs.delete(archived.getJobID());
    this.graphs.set(archived.getJobID(), archived);
    return Promise.resolve();
  }
  get(jobId: JobID): Promise<ArchivedExecutionGraph | undefined> {
    return Promise.resolve(this.graphs.get(jobId));
  }
  list(): Promise<ArchivedExecutionGraph[]> {
    return Promise.resolve([...this.graphs.values()]);
  }
}
