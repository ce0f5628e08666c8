import type { SerializedError } from '../core/errors.js';
import type { ExecutionAttemptID, JobID } from '../core/ids.js';
import type { SerializedAccumulator } from '../execution/accumulators.js';
import type { TaskIOMetrics } from '../execution/environment.js';
import type { ExecutionState } from '../execution/execution-state.js';

/** A task's report of its new state to its JobMaster (Flink's TaskExecutionState). Plain data. */
export interface TaskExecutionState {
  readonly jobId: JobID;
  readonly executionId: ExecutionAttemptID;
  readonly state: ExecutionState;
  /** Why the task failed (only with FAILED). */
  readonly error?: SerializedError;
  /** Final I/O counters (with terminal states). */
  readonly ioMetrics?: TaskIOMetrics;
  /** Final accumulator values (with terminal states). */
  readonly accumulators?: Readonly<Record<string, SerializedAccumulator>>;
}
