import { EddyError, SerializedError } from '../core/errors.js';
import type { JobID } from '../core/ids.js';
import { accumulatorResultValue } from '../execution/accumulators.js';
import type { SerializedAccumulator } from '../execution/accumulators.js';
import type { ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.js';
import { JobStatus } from '../executiongraph/job-status.js';

/** How a job ended, in the words of an application (Flink's ApplicationStatus). */
export const ApplicationStatus = {
  SUCCEEDED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELED: 'CANCELED',
  UNKNOWN: 'UNKNOWN',
} as const;
export type ApplicationStatus = (typeof ApplicationStatus)[keyof typeof ApplicationStatus];

export function applicationStatusOf(status: JobStatus): ApplicationStatus {
  switch (status) {
    case JobStatus.FINISHED:
      return ApplicationStatus.SUCCEEDED;
    case JobStatus.FAILED:
      return ApplicationStatus.FAILED;
    case JobStatus.CANCELED:
      return ApplicationStatus.CANCELED;
    default:
      return ApplicationStatus.UNKNOWN;
  }
}

/** The job did not succeed; `jobResult` says how it ended (Flink's JobExecutionException). */
export class JobExecutionError extends EddyError {
  constructor(
    readonly jobId: JobID,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The result of a job that succeeded (Flink's JobExecutionResult). */
export class JobExecutionResult {
  constructor(
    private readonly jobId: JobID,
    private readonly netRuntime: number,
    private readonly accumulators: Readonly<Record<string, unknown>>,
  ) {}

  getJobID(): JobID {
    return this.jobId;
  }
  /** Milliseconds from submission to the end. */
  getNetRuntime(): number {
    return this.netRuntime;
  }
  getAccumulatorResult<T = unknown>(name: string): T | undefined {
    return this.accumulators[name] as T | undefined;
  }
  getAllAccumulatorResults(): Readonly<Record<string, unknown>> {
    return this.accumulators;
  }
  toString(): string {
    return `JobExecutionResult{jobId=${this.jobId}, netRuntime=${this.netRuntime} ms, accumulators=${Object.keys(this.accumulators).join(', ')}}`;
  }
}

export interface JobResultJson {
  readonly jobId: JobID;
  readonly applicationStatus: ApplicationStatus;
  readonly netRuntime: number;
  readonly accumulatorResults: Readonly<Record<string, SerializedAccumulator>>;
  readonly serializedThrowable?: SerializedError;
}

/**
 * How a job ended (Flink's JobResult): application status, net runtime, accumulator results and,
 * when it failed, the failure cause. Plain data underneath, so the Dispatcher can store it.
 */
export class JobResult {
  constructor(private readonly json: JobResultJson) {}

  static fromArchivedExecutionGraph(graph: ArchivedExecutionGraph): JobResult {
    const status = graph.getState();
    // By presence, not truthiness: a job may well have started at time 0 (a manual clock).
    const timestamps = graph.toJson().stateTimestamps;
    const started = timestamps[JobStatus.INITIALIZING] ?? timestamps[JobStatus.CREATED] ?? 0;
    const failure = graph.getFailureInfo();
    return new JobResult({
      jobId: graph.getJobID(),
      applicationStatus: applicationStatusOf(status),
      netRuntime: Math.max(0, graph.getStatusTimestamp(status) - started),
      accumulatorResults: graph.getAccumulators(),
      ...(status !== JobStatus.FINISHED && failure !== undefined
        ? { serializedThrowable: failure.exception }
        : {}),
    });
  }

  getJobId(): JobID {
    return this.json.jobId;
  }
  getApplicationStatus(): ApplicationStatus {
    return this.json.applicationStatus;
  }
  isSuccess(): boolean {
    return this.json.applicationStatus === ApplicationStatus.SUCCEEDED;
  }
  getNetRuntime(): number {
    return this.json.netRuntime;
  }
  /** Merged accumulator values by name (a list accumulator gives the collected records). */
  getAccumulatorResults(): Record<string, unknown> {
    const results: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(this.json.accumulatorResults))
      results[name] = accumulatorResultValue(value);
    return results;
  }
  getSerializedThrowable(): SerializedError | undefined {
    return this.json.serializedThrowable;
  }

  /**
   * The JobExecutionResult of a successful job. Throws JobExecutionError (with the failure as
   * cause) when the job failed or was cancelled, as Flink's `toJobExecutionResult` does.
   */
  getJobExecutionResult(): JobExecutionResult {
    if (this.isSuccess())
      return new JobExecutionResult(this.json.jobId, this.json.netRuntime, this.getAccumulatorResults());
    const cause = this.json.serializedThrowable;
    throw new JobExecutionError(
      this.json.jobId,
      `Job ${this.json.jobId} ${this.json.applicationStatus === ApplicationStatus.CANCELED ? 'was cancelled' : 'failed'}` +
        (cause !== undefined ? `: ${cause.message}` : '.'),
      cause !== undefined ? { cause: SerializedError.toError(cause) } : undefined,
    );
  }

  toJson(): JobResultJson {
    return this.json;
  }
}

/** Flink's JobSubmissionResult. */
export class JobSubmissionResult {
  constructor(private readonly jobId: JobID) {}
  getJobID(): JobID {
    return this.jobId;
  }
  isJobSubmitted(): boolean {
    return true;
  }
}
