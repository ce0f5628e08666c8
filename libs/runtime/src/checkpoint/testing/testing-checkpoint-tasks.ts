import { ExecutionAttemptID, ExecutionVertexID, JobVertexID, OperatorID } from '../../core/ids.js';
import type { OperatorSubtaskState, TaskStateSnapshot } from '../../state/state-handles.js';
import type {
  CheckpointPlan,
  CheckpointPlanCalculator,
  CheckpointTaskHandle,
  CheckpointVertexInfo,
} from '../checkpoint-plan.js';
import { CheckpointException } from '../checkpoint-types.js';
import type { CheckpointMetaData, CheckpointMetrics, CheckpointOptions } from '../checkpoint-types.js';

/** A task handle that records every call it receives. */
export class TestingCheckpointTaskHandle implements CheckpointTaskHandle {
  readonly attemptId: ExecutionAttemptID;
  readonly triggered: { metadata: CheckpointMetaData; options: CheckpointOptions }[] = [];
  readonly completed: { checkpointId: number; timestamp: number }[] = [];
  readonly aborted: { checkpointId: number; latestCompletedCheckpointId: number }[] = [];
  /** When set, triggerCheckpoint rejects with it. */
  failTrigger: Error | undefined;

  constructor(
    readonly jobVertexId: JobVertexID,
    readonly subtaskIndex: number,
  ) {
    this.attemptId = ExecutionAttemptID.generate(ExecutionVertexID.of(jobVertexId, subtaskIndex));
  }

  triggerCheckpoint(metadata: CheckpointMetaData, options: CheckpointOptions): Promise<void> {
    this.triggered.push({ metadata, options });
    return this.failTrigger !== undefined ? Promise.reject(this.failTrigger) : Promise.resolve();
  }

  notifyCheckpointComplete(checkpointId: number, timestamp: number): Promise<void> {
    this.completed.push({ checkpointId, timestamp });
    return Promise.resolve();
  }

  notifyCheckpointAborted(checkpointId: number, latestCompletedCheckpointId: number): Promise<void> {
    this.aborted.push({ checkpointId, latestCompletedCheckpointId });
    return Promise.resolve();
  }

  triggeredIds(): number[] {
    return this.triggered.map((t) => t.metadata.checkpointId);
  }
}

/** A vertex of the testing job: its info and its tasks. */
export interface TestingVertex {
  readonly info: CheckpointVertexInfo;
  readonly tasks: readonly TestingCheckpointTaskHandle[];
}

/** Creates a vertex with `parallelism` tasks and one operator per uid (a chain when several). */
export function testingVertex(
  name: string,
  parallelism: number,
  operatorUids: readonly string[] = [name],
): TestingVertex {
  const jobVertexId = JobVertexID.generate();
  return {
    info: {
      jobVertexId,
      name,
      parallelism,
      maxParallelism: 128,
      operators: operatorUids.map((uid) => ({ operatorId: OperatorID.fromUid(uid), uid })),
    },
    tasks: Array.from({ length: parallelism }, (_, i) => new TestingCheckpointTaskHandle(jobVertexId, i)),
  };
}

/**
 * A plan calculator over fixed vertices: the first vertex's tasks are triggered, all tasks are
 * waited for and committed to. `tasksRunning = false` makes the plan fail as Flink's does when a
 * task is not RUNNING.
 */
export class TestingCheckpointPlanCalculator implements CheckpointPlanCalculator {
  tasksRunning = true;

  constructor(readonly vertices: readonly TestingVertex[]) {}

  calculateCheckpointPlan(): CheckpointPlan {
    if (!this.tasksRunning) throw new CheckpointException('NOT_ALL_REQUIRED_TASKS_RUNNING');
    const all = this.allTasks();
    return { tasksToTrigger: this.vertices[0]?.tasks ?? [], tasksToWaitFor: all, tasksToCommitTo: all };
  }

  getVertices(): readonly CheckpointVertexInfo[] {
    return this.vertices.map((v) => v.info);
  }

  allTasks(): TestingCheckpointTaskHandle[] {
    return this.vertices.flatMap((v) => v.tasks);
  }
}

/** Task metrics with the given values, zero elsewhere. */
export function testingMetrics(values: Partial<CheckpointMetrics> = {}): CheckpointMetrics {
  return {
    syncDurationMs: 0,
    asyncDurationMs: 0,
    alignmentDurationMs: 0,
    bytesProcessedDuringAlignment: 0,
    checkpointStartDelayMs: 0,
    stateSize: 0,
    ...values,
  };
}

/** Inline keyed state of `size` bytes for a subtask's operator. */
export function testingSubtaskState(size: number, subtaskIndex = 0): OperatorSubtaskState {
  return {
    managedKeyedState: [
      {
        keyGroupRange: { startKeyGroup: subtaskIndex, endKeyGroup: subtaskIndex },
        stream: { type: 'bytes', data: Buffer.alloc(size).toString('base64'), size },
      },
    ],
    managedOperatorState: [],
  };
}

/** A task's state: `size` bytes for each operator of its vertex. */
export function testingTaskState(
  vertex: TestingVertex,
  subtaskIndex: number,
  size: number,
): TaskStateSnapshot {
  const state: Record<OperatorID, OperatorSubtaskState> = {};
  for (const operator of vertex.info.operators)
    state[operator.operatorId] = testingSubtaskState(size, subtaskIndex);
  return state;
}

/** Lets pending promise chains (storage, ID counter, task calls) run. */
export async function flushPromises(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
