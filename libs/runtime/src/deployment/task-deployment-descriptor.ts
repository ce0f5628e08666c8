import type { AllocationID, ExecutionAttemptID, JobID, JobVertexID } from '../core/ids.js';
import type { JobType } from '../jobgraph/enums.js';
import type { JobManagerTaskRestore } from '../state/state-handles.js';
import type {
  InputGateDeploymentDescriptor,
  ResultPartitionDeploymentDescriptor,
} from '../io/network/shuffle-environment.js';

/**
 * Everything a TaskExecutor needs to run one execution attempt (Flink's TaskDeploymentDescriptor).
 * Plain data: it crosses process boundaries.
 */
export interface TaskDeploymentDescriptor {
  readonly jobId: JobID;
  readonly jobName: string;
  readonly jobType: JobType;
  readonly executionId: ExecutionAttemptID;
  readonly allocationId: AllocationID;
  readonly jobVertexId: JobVertexID;
  readonly taskName: string;
  readonly subtaskIndex: number;
  readonly numberOfSubtasks: number;
  readonly maxNumberOfSubtasks: number;
  readonly attemptNumber: number;
  /** The registered name of the invokable, resolved on the TaskExecutor from the job's user code. */
  readonly invokableClassName: string;
  readonly taskConfiguration: Readonly<Record<string, string>>;
  readonly jobConfiguration: Readonly<Record<string, string>>;
  /** One per output, in the order of the vertex's produced data sets. */
  readonly producedPartitions: readonly ResultPartitionDeploymentDescriptor[];
  /** One per input, in the order of the vertex's inputs. */
  readonly inputGates: readonly InputGateDeploymentDescriptor[];
  /** The state to restore (after a failover, or from a savepoint); absent for a fresh start. */
  readonly taskRestore?: JobManagerTaskRestore;
}
