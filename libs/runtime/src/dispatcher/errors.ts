import { EddyError } from '../core/errors.js';
import type { JobID } from '../core/ids.js';

/** No job with this ID is known (Flink's FlinkJobNotFoundException). */
export class JobNotFoundError extends EddyError {
  constructor(readonly jobId: JobID) {
    super(`Could not find Flink job (${jobId}).`);
  }
}

/** A job with this ID was already submitted (Flink's DuplicateJobSubmissionException). */
export class DuplicateJobSubmissionError extends EddyError {
  constructor(readonly jobId: JobID) {
    super(`Job has already been submitted: a job with ID ${jobId} exists.`);
  }
}

/** The job already reached a terminal state, so it cannot be cancelled (or changed) any more. */
export class JobAlreadyTerminalError extends EddyError {
  constructor(
    readonly jobId: JobID,
    readonly status: string,
  ) {
    super(`Job ${jobId} has already reached the terminal state ${status}.`);
  }
}

/** The job is known but its JobMaster is not running (yet or any more), so it cannot be asked. */
export class JobNotRunningError extends EddyError {
  constructor(readonly jobId: JobID) {
    super(`Job ${jobId} is not running: it is still initializing or already ended.`);
  }
}
