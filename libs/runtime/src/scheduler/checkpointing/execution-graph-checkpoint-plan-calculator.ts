import type {
  CheckpointPlan,
  CheckpointPlanCalculator,
  CheckpointTaskHandle,
  CheckpointVertexInfo,
} from '../../checkpoint/checkpoint-plan.js';
import { CheckpointException } from '../../checkpoint/checkpoint-types.js';
import type { JobVertexID } from '../../core/ids.js';
import { ExecutionState } from '../../execution/execution-state.js';
import type { DefaultExecutionGraph } from '../../executiongraph/default-execution-graph.js';
import type { Execution } from '../../executiongraph/execution.js';
import type { ExecutionJobVertex } from '../../executiongraph/execution-job-vertex.js';
import type { TaskExecutorGateway } from '../../taskexecutor/task-executor-gateway.js';

/**
 * Computes checkpoint plans from the execution graph (Flink's DefaultCheckpointPlanCalculator
 * without finished-task support): every task must be RUNNING; the sources are triggered (or the
 * job's `verticesToTrigger`), and every task acknowledges and hears about completion.
 */
export class ExecutionGraphCheckpointPlanCalculator implements CheckpointPlanCalculator {
  private readonly vertices: readonly CheckpointVertexInfo[];

  constructor(
    private readonly graph: DefaultExecutionGraph,
    private readonly gatewayOf: (execution: Execution) => TaskExecutorGateway | undefined,
  ) {
    this.vertices = graph.getVerticesTopologically().map((ejv) => ({
      jobVertexId: ejv.getJobVertexId(),
      name: ejv.getName(),
      parallelism: ejv.getParallelism(),
      maxParallelism: ejv.getMaxParallelism(),
      operators: ejv.getJobVertex().getOperatorIDs(),
    }));
  }

  getVertices(): readonly CheckpointVertexInfo[] {
    return this.vertices;
  }

  calculateCheckpointPlan(): CheckpointPlan {
    const settings = this.graph.getJobGraph().getCheckpointingSettings();
    const toTrigger = new Set<JobVertexID>(settings?.getVerticesToTrigger() ?? []);
    const all: CheckpointTaskHandle[] = [];
    const triggered: CheckpointTaskHandle[] = [];
    for (const ejv of this.graph.getVerticesTopologically()) {
      const isTriggered =
        toTrigger.size > 0 ? toTrigger.has(ejv.getJobVertexId()) : ejv.getInputs().length === 0;
      for (const vertex of ejv.getTaskVertices()) {
        const handle = this.handleOf(ejv, vertex.getCurrentExecutionAttempt());
        all.push(handle);
        if (isTriggered) triggered.push(handle);
      }
    }
    return { tasksToTrigger: triggered, tasksToWaitFor: all, tasksToCommitTo: all };
  }

  private handleOf(ejv: ExecutionJobVertex, execution: Execution): CheckpointTaskHandle {
    const gateway = execution.getState() === ExecutionState.RUNNING ? this.gatewayOf(execution) : undefined;
    if (gateway === undefined) {
      throw new CheckpointException('NOT_ALL_REQUIRED_TASKS_RUNNING', {
        detail: `Task ${execution.getVertex().getTaskNameWithSubtaskIndex()} is ${execution.getState()}.`,
      });
    }
    const attemptId = execution.getAttemptId();
    return {
      attemptId,
      jobVertexId: ejv.getJobVertexId(),
      subtaskIndex: execution.getVertex().getParallelSubtaskIndex(),
      triggerCheckpoint: async (metadata, options) => {
        await gateway.triggerCheckpoint(attemptId, metadata.checkpointId, metadata.timestamp, options);
      },
      notifyCheckpointComplete: async (checkpointId, timestamp) => {
        await gateway.confirmCheckpoint(attemptId, checkpointId, timestamp);
      },
      notifyCheckpointAborted: async (checkpointId, latestCompleted) => {
        await gateway.abortCheckpoint(attemptId, checkpointId, latestCompleted);
      },
    };
  }
}
