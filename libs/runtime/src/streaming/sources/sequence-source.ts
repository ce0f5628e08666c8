import { IllegalArgumentError } from '../../core/errors.js';
import { subtaskSlice } from '../../execution/builtins/data-path.js';
import { InvalidSourceStateError } from '../errors.js';
import type { Output } from '../stream-operator.js';
import type { ReaderStatus, Source, SourceReader, SourceReaderContext } from './source-reader.js';

/** A range of the sequence still to emit: `next` … `end`, inclusive. */
export interface SequenceSplit {
  readonly next: number;
  readonly end: number;
}

const AVAILABLE = Promise.resolve();

/**
 * The integers `from` … `to` (inclusive), each exactly once over all subtasks (Flink's
 * NumberSequenceSource). Subtask i starts with the i-th contiguous slice; its position is the rest
 * of its slices (`{ next, end }` splits), so a restore continues after the last snapshot and a
 * restore at another parallelism hands the remaining ranges to the new subtasks.
 */
export class SequenceSource implements Source<number> {
  readonly name: string;

  constructor(
    readonly from: number,
    readonly to: number,
  ) {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from) {
      throw new IllegalArgumentError(`A sequence needs whole numbers from <= to, got ${from} … ${to}.`);
    }
    this.name = `Sequence ${from}..${to}`;
  }

  createReader(): SourceReader<number> {
    return new SequenceReader(this);
  }
}

class SequenceReader implements SourceReader<number> {
  private splits: { next: number; end: number }[] = [];
  private restored = false;

  constructor(private readonly source: SequenceSource) {}

  restoreState(splits: readonly unknown[]): void {
    this.restored = true;
    this.splits = splits.map((split) => {
      const candidate = split as Partial<SequenceSplit> | null;
      if (
        typeof candidate !== 'object' ||
        candidate === null ||
        !Number.isSafeInteger(candidate.next) ||
        !Number.isSafeInteger(candidate.end)
      ) {
        throw new InvalidSourceStateError(
          this.source.name,
          `${JSON.stringify(split)} is not a sequence split.`,
        );
      }
      return { next: candidate.next as number, end: candidate.end as number };
    });
  }

  open(context: SourceReaderContext): void {
    if (this.restored) return;
    const { from, to } = this.source;
    const slice = subtaskSlice(to - from + 1, context.subtaskIndex, context.parallelism);
    if (slice.count > 0)
      this.splits = [{ next: from + slice.start, end: from + slice.start + slice.count - 1 }];
  }

  pollNext(output: Output<number>, maxRecords: number): ReaderStatus {
    const split = this.splits[0];
    if (split === undefined) return 'END';
    const stop = Math.min(split.end, split.next + maxRecords - 1);
    let next = split.next;
    for (; next <= stop; next++) output.collect(next);
    split.next = next;
    if (next > split.end) this.splits.shift();
    return this.splits.length === 0 ? 'END' : 'MORE';
  }

  getAvailableFuture(): Promise<void> {
    return AVAILABLE;
  }

  snapshotState(): SequenceSplit[] {
    return this.splits.map(({ next, end }) => ({ next, end }));
  }

  close(): void {
    this.splits = [];
  }
}
