import { EddyError } from '../../core/errors.js';
import { KeyGroupRangeAssignment } from '../../state/key-group-range-assignment.js';

import type { JobVertexID, OperatorID } from '../../core/ids.js';
import type { KeyGroupRange } from '../../state/key-group-range-assignment.js';
import type {
  JobManagerTaskRestore,
  KeyGroupsStateHandle,
  OperatorStateRestore,
  OperatorSubtaskState,
} from '../../state/state-handles.js';
import type { CheckpointVertexInfo } from '../checkpoint-plan.js';
import type { CheckpointMetadataJson, OperatorStateMetadata } from '../storage/checkpoint-storage.js';

/**
 * A snapshot cannot be mapped onto the job: an operator's state has nowhere to go, or the job's
 * parallelism is incompatible with the state. `operatorId` names the operator concerned.
 */
export class StateAssignmentError extends EddyError {
  constructor(
    readonly operatorId: OperatorID,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Distributes the state of a snapshot over the subtasks of a (possibly changed or rescaled) job
 * (Flink's StateAssignmentOperation), as plain data.
 *
 * Operators are matched by OperatorID. For each matched operator and each new subtask i:
 * - keyed state: every old KeyGroupsStateHandle whose key-group range intersects subtask i's new
 *   range (`computeKeyGroupRangeForOperatorIndex(maxParallelism, newParallelism, i)`); the backend
 *   keeps only its own key groups;
 * - operator state: all old OperatorStateHandles in old-subtask order, with the old parallelism;
 *   the backend takes its share by each state's distribution mode.
 *
 * The result has an entry for every vertex with at least one operator in the snapshot: one
 * JobManagerTaskRestore per new subtask index, holding that vertex's matched operators. Operators
 * not in the snapshot start empty; vertices without any are absent.
 *
 * Fails (StateAssignmentError) when the new parallelism is above the state's max parallelism, when
 * the max parallelism changed (key groups cannot be re-cut), and, unless `allowNonRestoredState`,
 * when state in the snapshot belongs to no operator of the job (empty state is skipped, as Flink).
 */
export function assignTaskStates(
  metadata: CheckpointMetadataJson,
  baseDirectory: string | null,
  vertices: readonly CheckpointVertexInfo[],
  allowNonRestoredState: boolean,
): Map<JobVertexID, JobManagerTaskRestore[]> {
  const snapshotName = baseDirectory ?? `checkpoint ${metadata.checkpointId} of job ${metadata.jobId}`;
  const statesById = new Map<OperatorID, OperatorStateMetadata>(
    metadata.operators.map((operator) => [operator.operatorId, operator]),
  );

  const jobOperatorIds = new Set<OperatorID>(
    vertices.flatMap((vertex) => vertex.operators.map((operator) => operator.operatorId)),
  );
  if (!allowNonRestoredState) {
    for (const state of metadata.operators) {
      if (!jobOperatorIds.has(state.operatorId) && hasState(state)) {
        throw new StateAssignmentError(
          state.operatorId,
          `Failed to rollback to checkpoint/savepoint ${snapshotName}. Cannot map checkpoint/savepoint state ` +
            `for operator ${describeOperator(state.operatorId, state.uid)} to the new program, because the ` +
            'operator is not available in the new program. If you want to allow to skip this, you can set ' +
            'the --allowNonRestoredState option on the CLI.',
        );
      }
    }
  }

  const assignments = new Map<JobVertexID, JobManagerTaskRestore[]>();
  for (const vertex of vertices) {
    const matched = vertex.operators.flatMap((pair) => {
      const state = statesById.get(pair.operatorId);
      return state === undefined ? [] : [{ uid: pair.uid ?? state.uid, state }];
    });
    if (matched.length === 0) continue;
    for (const { uid, state } of matched) checkParallelism(snapshotName, vertex, state, uid);

    const perSubtask: Record<OperatorID, OperatorStateRestore>[] = Array.from(
      { length: vertex.parallelism },
      () => ({}),
    );
    for (const { state } of matched) {
      const oldSubtasks = subtaskStatesInOrder(state);
      const operatorHandles = oldSubtasks.flatMap((subtask) => subtask.managedOperatorState);
      const keyedHandles = oldSubtasks.flatMap((subtask) => subtask.managedKeyedState);
      perSubtask.forEach((operators, subtaskIndex) => {
        const range = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
          state.maxParallelism,
          vertex.parallelism,
          subtaskIndex,
        );
        operators[state.operatorId] = {
          managedKeyedState: keyedHandles.filter((handle) => intersects(handle, range)),
          managedOperatorState: operatorHandles,
          oldParallelism: state.parallelism,
        };
      });
    }
    assignments.set(
      vertex.jobVertexId,
      perSubtask.map((operators) => ({
        restoreCheckpointId: metadata.checkpointId,
        baseDirectory,
        operators,
      })),
    );
  }
  return assignments;
}

/** Flink's checks before rescaling an operator's state (`checkParallelismPreconditions`). */
function checkParallelism(
  snapshotName: string,
  vertex: CheckpointVertexInfo,
  state: OperatorStateMetadata,
  uid: string | undefined,
): void {
  const operator = describeOperator(state.operatorId, uid);
  if (vertex.parallelism > state.maxParallelism) {
    throw new StateAssignmentError(
      state.operatorId,
      `The state for operator ${operator} of task ${vertex.name} (${vertex.jobVertexId}) can not be restored ` +
        `from ${snapshotName}. The maximum parallelism (${state.maxParallelism}) of the restored state is ` +
        `lower than the configured parallelism (${vertex.parallelism}). Please reduce the parallelism of the ` +
        'task to be lower or equal to the maximum parallelism.',
    );
  }
  if (vertex.maxParallelism !== state.maxParallelism) {
    throw new StateAssignmentError(
      state.operatorId,
      `Failed to rollback to checkpoint/savepoint ${snapshotName}. Max parallelism mismatch between ` +
        `checkpoint/savepoint state and new program. Cannot map operator ${operator} with max parallelism ` +
        `${state.maxParallelism} to new program with max parallelism ${vertex.maxParallelism}. Keyed state ` +
        'cannot be redistributed to a different number of key groups: keep the max parallelism of the ' +
        'job that took the snapshot.',
    );
  }
}

/** The subtask states of an operator in old-subtask order (missing subtasks had no state). */
function subtaskStatesInOrder(state: OperatorStateMetadata): OperatorSubtaskState[] {
  return Object.entries(state.subtaskStates)
    .map(([index, subtask]) => [Number(index), subtask] as const)
    .sort(([a], [b]) => a - b)
    .map(([, subtask]) => subtask);
}

function hasState(state: OperatorStateMetadata): boolean {
  return Object.values(state.subtaskStates).some(
    (subtask) => subtask.managedKeyedState.length > 0 || subtask.managedOperatorState.length > 0,
  );
}

function intersects(handle: KeyGroupsStateHandle, range: KeyGroupRange): boolean {
  const { startKeyGroup, endKeyGroup } = handle.keyGroupRange;
  return (
    startKeyGroup <= endKeyGroup && startKeyGroup <= range.endKeyGroup && range.startKeyGroup <= endKeyGroup
  );
}

function describeOperator(operatorId: OperatorID, uid: string | undefined): string {
  return uid === undefined ? operatorId : `${operatorId} (uid '${uid}')`;
}
