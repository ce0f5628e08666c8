import type { OperatorID } from '../core/ids.js';
import type { KeyGroupRange } from './key-group-range-assignment.js';

/**
 * Bytes of a snapshot, either inline (small state, or no checkpoint directory configured) or in a
 * file. A file's path is relative to the directory of the snapshot's `_metadata`, so a snapshot
 * directory can be moved as a whole (savepoints are relocatable).
 */
export type StreamStateHandle =
  | { readonly type: 'bytes'; readonly data: string /* base64 */; readonly size: number }
  | { readonly type: 'file'; readonly relativePath: string; readonly size: number };

/**
 * Keyed state of one subtask: the key groups of `keyGroupRange`, serialized in `stream` as
 * produced by the keyed state backend. A restoring subtask reads every handle that intersects its
 * new key-group range and keeps only its own key groups.
 */
export interface KeyGroupsStateHandle {
  readonly keyGroupRange: KeyGroupRange;
  readonly stream: StreamStateHandle;
}

/** How operator (non-keyed) list state is redistributed on restore (Flink's OperatorStateHandle.Mode). */
export const OperatorStateDistributionMode = {
  /** Entries of all subtasks are pooled and split evenly (plain list state). */
  SPLIT_DISTRIBUTE: 'SPLIT_DISTRIBUTE',
  /** Every subtask gets all entries of all subtasks (union list state). */
  UNION: 'UNION',
  /** State is the same on every subtask; each new subtask gets one copy (broadcast state). */
  BROADCAST: 'BROADCAST',
} as const;
export type OperatorStateDistributionMode =
  (typeof OperatorStateDistributionMode)[keyof typeof OperatorStateDistributionMode];

/** Operator state of one subtask: named states, each with its mode and number of entries. */
export interface OperatorStateHandle {
  readonly states: Readonly<
    Record<string, { readonly mode: OperatorStateDistributionMode; readonly entries: number }>
  >;
  readonly stream: StreamStateHandle;
}

/** All state of one operator in one subtask for one snapshot (Flink's OperatorSubtaskState). */
export interface OperatorSubtaskState {
  readonly managedKeyedState: readonly KeyGroupsStateHandle[];
  readonly managedOperatorState: readonly OperatorStateHandle[];
}

/** The state a subtask reports for one snapshot, by operator (Flink's TaskStateSnapshot). */
export type TaskStateSnapshot = Readonly<Record<OperatorID, OperatorSubtaskState>>;

/**
 * What one operator of a restoring subtask gets (after redistribution): the keyed handles that
 * intersect its key-group range, and operator state handles with what it must take from them.
 */
export interface OperatorStateRestore {
  readonly managedKeyedState: readonly KeyGroupsStateHandle[];
  /** Operator state handles of all old subtasks, in old subtask order. */
  readonly managedOperatorState: readonly OperatorStateHandle[];
  /** The old parallelism; unchanged parallelism keeps each subtask's own SPLIT_DISTRIBUTE state. */
  readonly oldParallelism: number;
}

/**
 * What a restoring task is deployed with (Flink's JobManagerTaskRestore): the snapshot restored
 * from and, per operator, its state. `baseDirectory` resolves the relative file handles.
 */
export interface JobManagerTaskRestore {
  readonly restoreCheckpointId: number;
  readonly baseDirectory: string | null;
  readonly operators: Readonly<Record<OperatorID, OperatorStateRestore>>;
}
