import type { CheckpointOptions } from '../../checkpoint/checkpoint-types.js';
import { yieldToEventLoop } from '../../core/async.js';
import { TimeoutError } from '../../core/errors.js';
import type { OperatorID } from '../../core/ids.js';
import type { CheckpointBarrier, RuntimeEvent } from '../../io/network/buffer.js';
import type { RecordWriter } from '../../io/network/record-writer.js';
import type {
  JobManagerTaskRestore,
  KeyGroupsStateHandle,
  OperatorStateHandle,
  OperatorStateRestore,
  TaskStateSnapshot,
} from '../../state/state-handles.js';

/** Options of a plain checkpoint with state kept inline. */
export const CHECKPOINT_OPTIONS: CheckpointOptions = {
  snapshotType: 'CHECKPOINT',
  drain: false,
  targetLocation: null,
};

/** Barrier `checkpointId` (timestamp now, a plain checkpoint unless `options` say otherwise). */
export function barrierOf(
  checkpointId: number,
  options: CheckpointOptions = CHECKPOINT_OPTIONS,
): CheckpointBarrier {
  return { type: 'CheckpointBarrier', checkpointId, timestamp: Date.now(), options };
}

/** What a {@link RecordingWriter} saw, in order. */
export type WriterEntry<T> = { readonly record: T } | { readonly event: RuntimeEvent };

/**
 * A record writer that logs records and events in one list, in the order they were written, so a
 * test sees where a barrier went relative to the records. Never full.
 */
export class RecordingWriter<T = unknown> implements RecordWriter<T> {
  readonly log: WriterEntry<T>[] = [];
  finished = false;

  emit(record: T): void {
    this.log.push({ record });
  }
  broadcastEmit(record: T): void {
    this.log.push({ record });
  }
  broadcastEvent(event: RuntimeEvent): void {
    this.log.push({ event });
  }
  flushAll(): void {
    // Nothing is buffered.
  }
  isAvailable(): boolean {
    return true;
  }
  getAvailableFuture(): Promise<void> {
    return Promise.resolve();
  }
  finish(): void {
    this.finished = true;
  }
  getNumberOfSubpartitions(): number {
    return 1;
  }

  records(): T[] {
    const records: T[] = [];
    for (const entry of this.log) if ('record' in entry) records.push(entry.record);
    return records;
  }

  barriers(): CheckpointBarrier[] {
    const barriers: CheckpointBarrier[] = [];
    for (const entry of this.log) {
      if ('event' in entry && entry.event.type === 'CheckpointBarrier') barriers.push(entry.event);
    }
    return barriers;
  }

  /** The records written before barrier `checkpointId`. */
  recordsBefore(checkpointId: number): T[] {
    const records: T[] = [];
    for (const entry of this.log) {
      if ('record' in entry) records.push(entry.record);
      else if (entry.event.type === 'CheckpointBarrier' && entry.event.checkpointId === checkpointId)
        return records;
    }
    throw new Error(`Barrier ${checkpointId} was not written.`);
  }
}

/** Lets the event loop run until `condition` holds; throws a TimeoutError naming `what` after `timeoutMs`. */
export async function until(
  condition: () => boolean,
  what = 'the condition',
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new TimeoutError(`Timed out waiting for ${what}.`);
    await yieldToEventLoop();
  }
}

/**
 * What the coordinator would hand each subtask restoring `checkpointId` from the snapshots of the
 * old subtasks (in old subtask order): every keyed handle and every operator state handle of each
 * operator (the backends keep their own share).
 */
export function restoreOf(
  checkpointId: number,
  snapshots: readonly TaskStateSnapshot[],
): JobManagerTaskRestore {
  const keyed = new Map<OperatorID, KeyGroupsStateHandle[]>();
  const operator = new Map<OperatorID, OperatorStateHandle[]>();
  for (const snapshot of snapshots) {
    for (const [id, state] of Object.entries(snapshot) as [OperatorID, TaskStateSnapshot[OperatorID]][]) {
      keyed.set(id, [...(keyed.get(id) ?? []), ...state.managedKeyedState]);
      operator.set(id, [...(operator.get(id) ?? []), ...state.managedOperatorState]);
    }
  }
  const operators: Record<OperatorID, OperatorStateRestore> = {};
  for (const [id, handles] of keyed) {
    operators[id] = {
      managedKeyedState: handles,
      managedOperatorState: operator.get(id) ?? [],
      oldParallelism: snapshots.length,
    };
  }
  return { restoreCheckpointId: checkpointId, baseDirectory: null, operators };
}
