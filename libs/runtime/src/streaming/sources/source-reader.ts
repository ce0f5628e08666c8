import { IllegalStateError } from '../../core/errors.js';
import type { ListState } from '../../state/state-api.js';
import { StateDescriptors } from '../../state/state-api.js';
import { AbstractStreamOperator } from '../stream-operator.js';
import type { MaybePromise, Output, StateInitializationContext } from '../stream-operator.js';

/** What one `pollNext` of a source reader did (Flink's InputStatus). */
export type ReaderStatus = 'MORE' | 'NOTHING_AVAILABLE' | 'END';

/** Where a reader runs. */
export interface SourceReaderContext {
  readonly subtaskIndex: number;
  readonly parallelism: number;
}

/**
 * Reads a replayable source in one subtask (Flink's SourceReader). Its position is a list of
 * splits (plain, structured-clonable data): each split is one entry of the source operator's list
 * state, so a restore at another parallelism hands whole splits to the new subtasks.
 *
 * Order of calls: `restoreState` (only when restoring), `open`, then `pollNext` until it answers
 * `END`, interleaved with `snapshotState`; `close` at the end. `pollNext` is synchronous and emits
 * at most `maxRecords` records; when it has nothing now it answers `NOTHING_AVAILABLE` and
 * `getAvailableFuture()` resolves when it may have more.
 */
export interface SourceReader<T> {
  /** The splits this subtask restores (possibly none); a restored reader assigns itself no others. */
  restoreState(splits: readonly unknown[]): void;
  open(context: SourceReaderContext): MaybePromise<void>;
  pollNext(output: Output<T>, maxRecords: number): ReaderStatus;
  getAvailableFuture(): Promise<void>;
  /** The current position: the splits still to read, copied (later reading must not change them). */
  snapshotState(checkpointId: number): unknown[];
  notifyCheckpointComplete?(checkpointId: number): MaybePromise<void>;
  close(): MaybePromise<void>;
}

/** A replayable source: creates one reader per subtask. */
export interface Source<T> {
  /** Shown as the operator's name. */
  readonly name: string;
  createReader(): SourceReader<T>;
}

/** Name of the list state that holds a source reader's splits. */
export const SOURCE_READER_STATE = 'source-reader-state';

/**
 * The head of a source task's chain (Flink's SourceOperator): drives its reader and keeps the
 * reader's splits in operator list state `source-reader-state` at every snapshot.
 */
export class SourceOperator<T> extends AbstractStreamOperator<never, T> {
  private splits: ListState<unknown> | undefined;

  constructor(readonly reader: SourceReader<T>) {
    super();
  }

  override initializeState(context: StateInitializationContext): void {
    const splits = context
      .getOperatorStateBackend()
      .getListState(StateDescriptors.list<unknown>(SOURCE_READER_STATE));
    this.splits = splits;
    if (context.isRestored()) this.reader.restoreState([...splits.get()]);
  }

  override open(): MaybePromise<void> {
    const { indexOfThisSubtask, numberOfParallelSubtasks } = this.getContext().taskInfo;
    return this.reader.open({ subtaskIndex: indexOfThisSubtask, parallelism: numberOfParallelSubtasks });
  }

  /** Emits up to `maxRecords` records of the reader into the chain. */
  emitNext(maxRecords: number): ReaderStatus {
    return this.reader.pollNext(this.output, maxRecords);
  }

  processElement(): void {
    throw new IllegalStateError('A source operator has no input.');
  }

  override snapshotState(checkpointId: number): void {
    this.splits?.update(this.reader.snapshotState(checkpointId));
  }

  override notifyCheckpointComplete(checkpointId: number): MaybePromise<void> {
    return this.reader.notifyCheckpointComplete?.(checkpointId);
  }

  override close(): MaybePromise<void> {
    return this.reader.close();
  }
}
