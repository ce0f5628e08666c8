import { describe, expect, it } from 'vitest';

import { SerializedError } from '../core/errors.js';
import { JobID } from '../core/ids.js';
import type { SerializedAccumulator } from '../execution/accumulators.js';
import { ArchivedExecutionGraph } from '../executiongraph/archived-execution-graph.js';
import { JobStatus } from '../executiongraph/job-status.js';
import { JobType } from '../jobgraph/enums.js';
import { ApplicationStatus, JobExecutionError, JobResult, applicationStatusOf } from './job-result.js';

const FAILURE = SerializedError.from(new TypeError('records went missing'));

function archived(params: {
  state: JobStatus;
  stateTimestamps: Partial<Record<JobStatus, number>>;
  failed?: boolean;
  accumulators?: Record<string, SerializedAccumulator>;
}): ArchivedExecutionGraph {
  return ArchivedExecutionGraph.fromJson({
    jobId: JobID.generate(),
    jobName: 'job',
    jobType: JobType.BATCH,
    state: params.state,
    stateTimestamps: params.stateTimestamps,
    ...(params.failed === true ? { failureInfo: { exception: FAILURE, timestamp: 50 } } : {}),
    vertices: [],
    jobConfiguration: {},
    accumulators: params.accumulators ?? {},
    exceptionHistory: [],
    checkpointingEnabled: false,
  });
}

describe('JobResult', () => {
  it('of a FINISHED job: SUCCEEDED, net runtime from INITIALIZING, no failure cause', () => {
    // The job failed once on the way (failure info is set) but then finished.
    const graph = archived({
      state: JobStatus.FINISHED,
      stateTimestamps: { INITIALIZING: 1_000, CREATED: 1_010, RUNNING: 1_020, FINISHED: 1_500 },
      failed: true,
    });

    const result = JobResult.fromArchivedExecutionGraph(graph);

    expect(result.getJobId()).toBe(graph.getJobID());
    expect(result.getApplicationStatus()).toBe(ApplicationStatus.SUCCEEDED);
    expect(result.isSuccess()).toBe(true);
    expect(result.getNetRuntime()).toBe(500);
    expect(result.getSerializedThrowable()).toBeUndefined();
    expect(result.toJson()).not.toHaveProperty('serializedThrowable');
  });

  it('of a FAILED job: FAILED with the failure cause', () => {
    const graph = archived({
      state: JobStatus.FAILED,
      stateTimestamps: { INITIALIZING: 1_000, FAILED: 1_300 },
      failed: true,
    });

    const result = JobResult.fromArchivedExecutionGraph(graph);

    expect(result.getApplicationStatus()).toBe(ApplicationStatus.FAILED);
    expect(result.isSuccess()).toBe(false);
    expect(result.getNetRuntime()).toBe(300);
    expect(result.getSerializedThrowable()).toEqual(FAILURE);
  });

  it('of a CANCELED job: CANCELED, with the cause if there was one', () => {
    const result = JobResult.fromArchivedExecutionGraph(
      archived({ state: JobStatus.CANCELED, stateTimestamps: { INITIALIZING: 10, CANCELED: 70 } }),
    );
    expect(result.getApplicationStatus()).toBe(ApplicationStatus.CANCELED);
    expect(result.getNetRuntime()).toBe(60);
    expect(result.getSerializedThrowable()).toBeUndefined();
  });

  it('measures from INITIALIZING even when that was at time 0', () => {
    const result = JobResult.fromArchivedExecutionGraph(
      archived({
        state: JobStatus.FINISHED,
        stateTimestamps: { INITIALIZING: 0, CREATED: 5, FINISHED: 100 },
      }),
    );
    expect(result.getNetRuntime()).toBe(100);
  });

  it('measures from CREATED when the graph has no INITIALIZING timestamp, and never below 0', () => {
    expect(
      JobResult.fromArchivedExecutionGraph(
        archived({ state: JobStatus.FINISHED, stateTimestamps: { CREATED: 40, FINISHED: 100 } }),
      ).getNetRuntime(),
    ).toBe(60);
    expect(
      JobResult.fromArchivedExecutionGraph(
        archived({ state: JobStatus.FAILED, stateTimestamps: { INITIALIZING: 100, FAILED: 90 } }),
      ).getNetRuntime(),
    ).toBe(0);
  });

  it('maps job statuses to application statuses', () => {
    expect(applicationStatusOf(JobStatus.FINISHED)).toBe('SUCCEEDED');
    expect(applicationStatusOf(JobStatus.FAILED)).toBe('FAILED');
    expect(applicationStatusOf(JobStatus.CANCELED)).toBe('CANCELED');
    expect(applicationStatusOf(JobStatus.SUSPENDED)).toBe('UNKNOWN');
    expect(applicationStatusOf(JobStatus.RUNNING)).toBe('UNKNOWN');
  });

  it('gives merged accumulator values by name', () => {
    const result = JobResult.fromArchivedExecutionGraph(
      archived({
        state: JobStatus.FINISHED,
        stateTimestamps: { INITIALIZING: 0, FINISHED: 10 },
        accumulators: {
          count: { type: 'LongCounter', value: 42 },
          mean: { type: 'Average', value: { sum: 10, count: 4 } },
          emptyMean: { type: 'Average', value: { sum: 0, count: 0 } },
          collected: { type: 'List', value: ['a', 'b'] },
          max: { type: 'IntMaximum', value: null },
        },
      }),
    );

    expect(result.getAccumulatorResults()).toEqual({
      count: 42,
      mean: 2.5,
      emptyMean: 0,
      collected: ['a', 'b'],
      max: null,
    });
    const execution = result.getJobExecutionResult();
    expect(execution.getJobID()).toBe(result.getJobId());
    expect(execution.getNetRuntime()).toBe(10);
    expect(execution.getAccumulatorResult('mean')).toBe(2.5);
    expect(execution.getAccumulatorResult('missing')).toBeUndefined();
    expect(execution.getAllAccumulatorResults()).toEqual(result.getAccumulatorResults());
  });

  it('throws JobExecutionError with the failure as cause from getJobExecutionResult of a failed job', () => {
    const result = JobResult.fromArchivedExecutionGraph(
      archived({ state: JobStatus.FAILED, stateTimestamps: { INITIALIZING: 0, FAILED: 1 }, failed: true }),
    );

    let thrown: unknown;
    try {
      result.getJobExecutionResult();
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(JobExecutionError);
    const error = thrown as JobExecutionError;
    expect(error.name).toBe('JobExecutionError');
    expect(error.jobId).toBe(result.getJobId());
    expect(error.message).toBe(`Job ${result.getJobId()} failed: records went missing`);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.cause).toMatchObject({ name: 'TypeError', message: 'records went missing' });
  });

  it('throws JobExecutionError saying a cancelled job was cancelled', () => {
    const result = JobResult.fromArchivedExecutionGraph(
      archived({ state: JobStatus.CANCELED, stateTimestamps: { INITIALIZING: 0, CANCELED: 1 } }),
    );
    expect(() => result.getJobExecutionResult()).toThrow(
      new JobExecutionError(result.getJobId(), `Job ${result.getJobId()} was cancelled.`),
    );
  });

  it('round-trips through its plain-data form', () => {
    const result = JobResult.fromArchivedExecutionGraph(
      archived({ state: JobStatus.FAILED, stateTimestamps: { INITIALIZING: 0, FAILED: 9 }, failed: true }),
    );
    const copy = new JobResult(structuredClone(result.toJson()));
    expect(copy.toJson()).toEqual(result.toJson());
    expect(copy.getSerializedThrowable()).toEqual(FAILURE);
  });
});
