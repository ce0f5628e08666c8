import { describe, expect, it } from 'vitest';

import { JobID, JobVertexID, OperatorID } from '../../core/ids.js';
import { KeyGroupRangeAssignment } from '../../state/key-group-range-assignment.js';
import { OperatorStateDistributionMode } from '../../state/state-handles.js';
import { SnapshotType } from '../checkpoint-types.js';
import { StateAssignmentError, assignTaskStates } from './state-assignment-operation.js';

import type { JobManagerTaskRestore, OperatorSubtaskState } from '../../state/state-handles.js';
import type { CheckpointVertexInfo } from '../checkpoint-plan.js';
import type { CheckpointMetadataJson, OperatorStateMetadata } from '../storage/checkpoint-storage.js';

const JOB = JobID.generate();
const MAP = OperatorID.fromUid('map');
const SINK = OperatorID.fromUid('sink');
const GONE = OperatorID.fromUid('removed-filter');
const MAP_VERTEX = JobVertexID.generate();

/** Keyed and operator state of an operator that ran at `parallelism`: subtask i's handles are tagged `i`. */
function operatorState(
  operatorId: OperatorID,
  parallelism: number,
  options: { maxParallelism?: number; uid?: string; skipSubtasks?: number[] } = {},
): OperatorStateMetadata {
  const maxParallelism = options.maxParallelism ?? 128;
  const subtaskStates: Record<string, OperatorSubtaskState> = {};
  for (let i = 0; i < parallelism; i++) {
    if (options.skipSubtasks?.includes(i)) continue;
    subtaskStates[String(i)] = {
      managedKeyedState: [
        {
          keyGroupRange: KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
            maxParallelism,
            parallelism,
            i,
          ),
          stream: { type: 'bytes', data: `keyed-${i}`, size: 1 },
        },
      ],
      managedOperatorState: [
        {
          states: { buffer: { mode: OperatorStateDistributionMode.SPLIT_DISTRIBUTE, entries: 2 } },
          stream: { type: 'bytes', data: `op-${i}`, size: 1 },
        },
      ],
    };
  }
  return {
    operatorId,
    ...(options.uid !== undefined ? { uid: options.uid } : {}),
    parallelism,
    maxParallelism,
    subtaskStates,
  };
}

function snapshot(...operators: OperatorStateMetadata[]): CheckpointMetadataJson {
  return {
    version: 1,
    jobId: JOB,
    checkpointId: 12,
    timestamp: 1,
    snapshotType: SnapshotType.SAVEPOINT,
    operators,
  };
}

function vertex(parallelism: number, operators = [MAP], maxParallelism = 128): CheckpointVertexInfo {
  return {
    jobVertexId: MAP_VERTEX,
    name: 'Map',
    parallelism,
    maxParallelism,
    operators: operators.map((operatorId) => ({ operatorId })),
  };
}

/** Per new subtask: the tags of the keyed handles it got. */
function keyedTags(restores: readonly JobManagerTaskRestore[] | undefined, operatorId = MAP): string[][] {
  return (restores ?? []).map((restore) =>
    (restore.operators[operatorId]?.managedKeyedState ?? []).map((handle) =>
      handle.stream.type === 'bytes' ? handle.stream.data : handle.stream.relativePath,
    ),
  );
}

describe('assignTaskStates', () => {
  it('scales 2 → 4: each new subtask gets the old keyed handle covering its key groups', () => {
    const result = assignTaskStates(snapshot(operatorState(MAP, 2)), '/snap', [vertex(4)], false);
    const restores = result.get(MAP_VERTEX);
    expect(restores).toHaveLength(4);
    expect(keyedTags(restores)).toEqual([['keyed-0'], ['keyed-0'], ['keyed-1'], ['keyed-1']]);
    for (const restore of restores ?? []) {
      expect(restore.restoreCheckpointId).toBe(12);
      expect(restore.baseDirectory).toBe('/snap');
      const operator = restore.operators[MAP];
      expect(operator?.oldParallelism).toBe(2);
      expect(operator?.managedOperatorState.map((h) => h.stream.type === 'bytes' && h.stream.data)).toEqual([
        'op-0',
        'op-1',
      ]);
    }
  });

  it('scales 4 → 2: each new subtask gets the two old handles it merges', () => {
    const restores = assignTaskStates(snapshot(operatorState(MAP, 4)), null, [vertex(2)], false).get(
      MAP_VERTEX,
    );
    expect(keyedTags(restores)).toEqual([
      ['keyed-0', 'keyed-1'],
      ['keyed-2', 'keyed-3'],
    ]);
    expect(restores?.[1]?.operators[MAP]?.managedOperatorState).toHaveLength(4);
    expect(restores?.[1]?.operators[MAP]?.oldParallelism).toBe(4);
  });

  it('keeps each subtask its own state when the parallelism is unchanged', () => {
    const restores = assignTaskStates(snapshot(operatorState(MAP, 3)), null, [vertex(3)], false).get(
      MAP_VERTEX,
    );
    expect(keyedTags(restores)).toEqual([['keyed-0'], ['keyed-1'], ['keyed-2']]);
    expect(restores?.[2]?.operators[MAP]?.oldParallelism).toBe(3);
  });

  it('covers every key group of every new subtask, for any rescaling', () => {
    for (const [oldP, newP] of [
      [1, 7],
      [3, 5],
      [7, 2],
      [5, 5],
      [10, 128],
      [128, 1],
    ] as const) {
      const state = operatorState(MAP, oldP);
      const restores = assignTaskStates(snapshot(state), null, [vertex(newP)], false).get(MAP_VERTEX) ?? [];
      restores.forEach((restore, i) => {
        const range = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(128, newP, i);
        const handles = restore.operators[MAP]?.managedKeyedState ?? [];
        for (let kg = range.startKeyGroup; kg <= range.endKeyGroup; kg++) {
          const owners = handles.filter(
            (h) => h.keyGroupRange.startKeyGroup <= kg && kg <= h.keyGroupRange.endKeyGroup,
          );
          expect(owners, `old ${oldP} new ${newP} subtask ${i} key group ${kg}`).toHaveLength(1);
        }
        for (const h of handles) {
          expect(
            h.keyGroupRange.startKeyGroup <= range.endKeyGroup &&
              range.startKeyGroup <= h.keyGroupRange.endKeyGroup,
          ).toBe(true);
        }
      });
    }
  });

  it('orders operator state by old subtask index and skips subtasks without state', () => {
    const state = operatorState(MAP, 11, { skipSubtasks: [1] });
    const restores = assignTaskStates(snapshot(state), null, [vertex(1)], false).get(MAP_VERTEX);
    const order = restores?.[0]?.operators[MAP]?.managedOperatorState.map(
      (h) => h.stream.type === 'bytes' && h.stream.data,
    );
    expect(order).toEqual(['op-0', 'op-2', 'op-3', 'op-4', 'op-5', 'op-6', 'op-7', 'op-8', 'op-9', 'op-10']);
  });

  it('restores only the operators of a chain that are in the snapshot', () => {
    const otherVertex: CheckpointVertexInfo = { ...vertex(2, [SINK]), jobVertexId: JobVertexID.generate() };
    const result = assignTaskStates(
      snapshot(operatorState(MAP, 2)),
      null,
      [vertex(2, [MAP, SINK]), otherVertex],
      false,
    );
    expect([...result.keys()]).toEqual([MAP_VERTEX]);
    expect(Object.keys(result.get(MAP_VERTEX)?.[0]?.operators ?? {})).toEqual([MAP]);
  });

  it('refuses state of an operator the job no longer has, unless allowNonRestoredState', () => {
    const metadata = snapshot(operatorState(MAP, 2), operatorState(GONE, 2, { uid: 'removed-filter' }));
    let thrown: unknown;
    try {
      assignTaskStates(metadata, '/savepoints/savepoint-abc', [vertex(2)], false);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StateAssignmentError);
    expect((thrown as StateAssignmentError).operatorId).toBe(GONE);
    expect((thrown as Error).message).toBe(
      'Failed to rollback to checkpoint/savepoint /savepoints/savepoint-abc. Cannot map checkpoint/savepoint ' +
        `state for operator ${GONE} (uid 'removed-filter') to the new program, because the operator is not ` +
        'available in the new program. If you want to allow to skip this, you can set the ' +
        '--allowNonRestoredState option on the CLI.',
    );

    const result = assignTaskStates(metadata, '/savepoints/savepoint-abc', [vertex(2)], true);
    expect(keyedTags(result.get(MAP_VERTEX))).toEqual([['keyed-0'], ['keyed-1']]);
    expect(Object.keys(result.get(MAP_VERTEX)?.[0]?.operators ?? {})).toEqual([MAP]);
  });

  it('skips an unmatched operator whose state is empty', () => {
    const empty: OperatorStateMetadata = {
      operatorId: GONE,
      parallelism: 1,
      maxParallelism: 128,
      subtaskStates: {},
    };
    const result = assignTaskStates(snapshot(operatorState(MAP, 1), empty), null, [vertex(1)], false);
    expect(result.get(MAP_VERTEX)).toHaveLength(1);
  });

  it('refuses a changed max parallelism', () => {
    const metadata = snapshot(operatorState(MAP, 2, { maxParallelism: 128, uid: 'map' }));
    expect(() => assignTaskStates(metadata, null, [vertex(2, [MAP], 256)], false)).toThrow(
      StateAssignmentError,
    );
    expect(() => assignTaskStates(metadata, null, [vertex(2, [MAP], 256)], false)).toThrow(
      `Cannot map operator ${MAP} (uid 'map') with max parallelism 128 to new program with max parallelism 256`,
    );
  });

  it('refuses a parallelism above the max parallelism of the state', () => {
    const metadata = snapshot(operatorState(MAP, 2, { maxParallelism: 4 }));
    expect(() => assignTaskStates(metadata, null, [vertex(8, [MAP], 4)], false)).toThrow(
      /maximum parallelism \(4\) of the restored state is lower than the configured parallelism \(8\)/,
    );
  });
});
