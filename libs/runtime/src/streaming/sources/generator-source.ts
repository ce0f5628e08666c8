import { IllegalArgumentError } from '../../core/errors.js';
import { InvalidSourceStateError } from '../errors.js';
import type { Output } from '../stream-operator.js';
import type { ReaderStatus, Source, SourceReader, SourceReaderContext } from './source-reader.js';

/** The indices a generator split still emits: `next`, `next + stride`, … below `end`. */
export interface GeneratorSplit {
  readonly next: number;
  readonly stride: number;
  /** Exclusive; `Infinity` for an unbounded generator. */
  readonly end: number;
}

/** How a {@link GeneratorSource} generates. */
export interface GeneratorSourceOptions<T> {
  /** The record of index `i`; must be deterministic, since a restore regenerates from an index. */
  readonly generate: (index: number) => T;
  /** Number of records over all subtasks. Default unbounded. */
  readonly count?: number;
  /** Records per second over all subtasks (each subtask gets its share). Default unlimited. */
  readonly recordsPerSecond?: number;
  /** Shown as the operator's name. Default `Generator`. */
  readonly name?: string;
  /** Clock for the rate limit, in ms. Default `Date.now`. */
  readonly now?: () => number;
}

const AVAILABLE = Promise.resolve();

/**
 * Records `generate(0)`, `generate(1)`, … (Flink's DataGeneratorSource), optionally bounded and
 * rate limited. Subtask i of p emits the indices i, i + p, …; its position is that split's next
 * index, so a restore regenerates exactly the records after the last snapshot. Splits are kept
 * whole on rescale: a subtask may read several, or none.
 */
export class GeneratorSource<T> implements Source<T> {
  readonly name: string;
  readonly generate: (index: number) => T;
  readonly count: number;
  readonly recordsPerSecond: number;
  readonly now: () => number;

  constructor(options: GeneratorSourceOptions<T>) {
    const count = options.count ?? Infinity;
    const rate = options.recordsPerSecond ?? Infinity;
    if (!(count >= 0) || (count !== Infinity && !Number.isSafeInteger(count))) {
      throw new IllegalArgumentError(`A generator's count must be a whole number >= 0, got ${count}.`);
    }
    if (!(rate > 0)) throw new IllegalArgumentError(`A generator's rate must be > 0 records/s, got ${rate}.`);
    this.generate = options.generate;
    this.count = count;
    this.recordsPerSecond = rate;
    this.now = options.now ?? Date.now;
    this.name = options.name ?? 'Generator';
  }

  createReader(): SourceReader<T> {
    return new GeneratorReader(this);
  }
}

class GeneratorReader<T> implements SourceReader<T> {
  private splits: { next: number; stride: number; end: number }[] = [];
  private restored = false;
  /** Records per ms this subtask may emit. */
  private ratePerMs = Infinity;
  /** Token bucket of the rate limit: records that may be emitted now, refilled at `ratePerMs`. */
  private tokens = 1;
  private bucketSize = 1;
  private lastRefill = 0;
  private nextSplit = 0;
  private timer: NodeJS.Timeout | undefined;
  private waiting: Promise<void> | undefined;

  constructor(private readonly source: GeneratorSource<T>) {}

  restoreState(splits: readonly unknown[]): void {
    this.restored = true;
    this.splits = splits.map((split) => {
      const candidate = split as Partial<GeneratorSplit> | null;
      if (
        typeof candidate !== 'object' ||
        candidate === null ||
        typeof candidate.next !== 'number' ||
        typeof candidate.stride !== 'number' ||
        typeof candidate.end !== 'number' ||
        !(candidate.stride >= 1)
      ) {
        throw new InvalidSourceStateError(
          this.source.name,
          `${JSON.stringify(split)} is not a generator split.`,
        );
      }
      return { next: candidate.next, stride: candidate.stride, end: candidate.end };
    });
  }

  open(context: SourceReaderContext): void {
    this.ratePerMs = this.source.recordsPerSecond / 1000 / context.parallelism;
    this.bucketSize = Math.max(1, this.ratePerMs * 1000);
    this.lastRefill = this.source.now();
    if (!this.restored && context.subtaskIndex < this.source.count) {
      this.splits = [{ next: context.subtaskIndex, stride: context.parallelism, end: this.source.count }];
    }
  }

  pollNext(output: Output<T>, maxRecords: number): ReaderStatus {
    if (this.splits.length === 0) return 'END';
    const allowed = Math.min(maxRecords, this.permits());
    if (allowed <= 0) return 'NOTHING_AVAILABLE';
    const generate = this.source.generate;
    let emitted = 0;
    while (emitted < allowed && this.splits.length > 0) {
      // Round robin over the splits, one record each, so restored splits advance together.
      if (this.nextSplit >= this.splits.length) this.nextSplit = 0;
      const split = this.splits[this.nextSplit] as { next: number; stride: number; end: number };
      output.collect(generate(split.next));
      emitted++;
      split.next += split.stride;
      if (split.next >= split.end) this.splits.splice(this.nextSplit, 1);
      else this.nextSplit++;
    }
    this.tokens -= emitted;
    return this.splits.length === 0 ? 'END' : 'MORE';
  }

  getAvailableFuture(): Promise<void> {
    if (this.permits() > 0 || this.splits.length === 0) return AVAILABLE;
    this.waiting ??= new Promise<void>((resolve) => {
      const delay = Math.max(1, Math.ceil(1 / this.ratePerMs));
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.waiting = undefined;
        resolve();
      }, delay);
    });
    return this.waiting;
  }

  snapshotState(): GeneratorSplit[] {
    return this.splits.map(({ next, stride, end }) => ({ next, stride, end }));
  }

  close(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.splits = [];
  }

  /** Records the rate limit allows now: a token bucket refilled at the rate, holding at most a second's worth. */
  private permits(): number {
    if (this.ratePerMs === Infinity) return Infinity;
    const now = this.source.now();
    this.tokens = Math.min(this.bucketSize, this.tokens + (now - this.lastRefill) * this.ratePerMs);
    this.lastRefill = now;
    return Math.floor(this.tokens);
  }
}
