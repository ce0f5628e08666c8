import { yieldToEventLoop } from '../../core/async.js';
import { RecordReader } from '../../io/network/record-reader.js';
import type { RecordWriter } from '../../io/network/record-writer.js';
import type { Environment } from '../environment.js';

/**
 * Records a task handles between two yields to the event loop when it never had to wait: enough
 * to make a yield's cost (one `setImmediate`) negligible, few enough that timers, network I/O and
 * the other tasks of the TaskExecutor keep running.
 */
export const RECORDS_BETWEEN_YIELDS = 4096;

/**
 * The contiguous slice `[start, start + count)` of `total` items that subtask `index` of
 * `parallelism` handles: slices are as even as possible, the first `total % parallelism` subtasks
 * take one more item, and together they cover every item exactly once, in order.
 */
export function subtaskSlice(
  total: number,
  index: number,
  parallelism: number,
): { start: number; count: number } {
  const base = Math.floor(total / parallelism);
  const remainder = total % parallelism;
  return { start: index * base + Math.min(index, remainder), count: base + (index < remainder ? 1 : 0) };
}

/**
 * Counts handled records and says when it is time to yield to the event loop. A chain of
 * already-resolved promises runs as microtasks and would starve I/O, so tasks yield by count, not
 * only when they wait.
 */
export class EventLoopYielder {
  private sinceYield = 0;

  constructor(private readonly interval: number = RECORDS_BETWEEN_YIELDS) {}

  /** Adds `records` handled records; true when the caller should `await yieldToEventLoop()` now. */
  add(records: number): boolean {
    this.sinceYield += records;
    if (this.sinceYield < this.interval) return false;
    this.sinceYield = 0;
    return true;
  }
}

/**
 * The output of a built-in invokable: every record goes to every writer of the task (one per
 * produced result). Emitting never awaits; after a batch (or after each record in a source) the
 * caller checks {@link isAvailable} and only then awaits {@link waitUntilAvailable}.
 */
export class TaskOutput<T> {
  private readonly writers: readonly RecordWriter<T>[];
  private readonly single: RecordWriter<T> | undefined;

  constructor(
    environment: Environment,
    private readonly signal: AbortSignal = environment.getCancellationSignal(),
  ) {
    this.writers = environment.getAllWriters();
    this.single = this.writers.length === 1 ? this.writers[0] : undefined;
  }

  /** True when the task has no writer: emitting would do nothing. */
  isEmpty(): boolean {
    return this.writers.length === 0;
  }

  emit(record: T): void {
    if (this.single !== undefined) {
      this.single.emit(record);
      return;
    }
    for (const writer of this.writers) writer.emit(record);
  }

  /** True when every writer can take more records without growing past its bound. */
  isAvailable(): boolean {
    if (this.single !== undefined) return this.single.isAvailable();
    for (const writer of this.writers) if (!writer.isAvailable()) return false;
    return true;
  }

  /**
   * Resolves when every writer is available again, or when the task was cancelled (a writer's
   * future rejecting because cancellation released its partition is then not an error). Rejects
   * when a writer failed for another reason.
   */
  async waitUntilAvailable(): Promise<void> {
    for (const writer of this.writers) {
      if (writer.isAvailable()) continue;
      try {
        await writer.getAvailableFuture();
      } catch (error) {
        if (this.signal.aborted) return;
        throw error;
      }
      if (this.signal.aborted) return;
    }
  }
}

/**
 * Emits `count` records, `recordAt(0)` … `recordAt(count - 1)`, as a source does: it checks the
 * writers after every record and awaits only when one is full, and yields to the event loop every
 * {@link RECORDS_BETWEEN_YIELDS} records. Resolves true when all were emitted, false when the task
 * was cancelled first.
 */
export async function emitGenerated<T>(
  output: TaskOutput<T>,
  count: number,
  recordAt: (offset: number) => T,
  signal: AbortSignal,
): Promise<boolean> {
  let sinceYield = 0;
  for (let offset = 0; offset < count; offset++) {
    if (signal.aborted) return false;
    output.emit(recordAt(offset));
    if (!output.isAvailable()) await output.waitUntilAvailable();
    if (++sinceYield >= RECORDS_BETWEEN_YIELDS) {
      sinceYield = 0;
      await yieldToEventLoop();
    }
  }
  return !signal.aborted;
}

/** Like {@link emitGenerated}, for the records of an iterable (the result of a batch operator). */
export async function emitAll<T>(
  output: TaskOutput<T>,
  records: Iterable<T>,
  signal: AbortSignal,
): Promise<boolean> {
  let sinceYield = 0;
  for (const record of records) {
    if (signal.aborted) return false;
    output.emit(record);
    if (!output.isAvailable()) await output.waitUntilAvailable();
    if (++sinceYield >= RECORDS_BETWEEN_YIELDS) {
      sinceYield = 0;
      await yieldToEventLoop();
    }
  }
  return !signal.aborted;
}

/**
 * Reads every input gate of the task concurrently, one reader loop per gate, and hands each batch
 * to `onBatch` synchronously. Reading all gates at once matters for pipelined inputs: a gate left
 * unread would backpressure its producer. After each batch it waits for `output` (if given) only
 * when a writer is full, and yields to the event loop every {@link RECORDS_BETWEEN_YIELDS} records.
 * Resolves when every gate is finished or the task was cancelled; rejects (and stops the other
 * loops at their next batch) when `onBatch` throws or a read fails. The Task sets gates up first.
 */
export async function consumeInputs(
  environment: Environment,
  onBatch: (records: readonly unknown[]) => void,
  output?: TaskOutput<unknown>,
): Promise<void> {
  const signal = environment.getCancellationSignal();
  const ioMetrics = environment.getIOMetrics();
  const yielder = new EventLoopYielder();
  let failed = false;
  const stopped = (): boolean => signal.aborted || failed;
  const readGate = async (reader: RecordReader): Promise<void> => {
    try {
      while (!stopped()) {
        const batch = await reader.nextBatch();
        if (batch === undefined || stopped()) return;
        onBatch(batch);
        if (output !== undefined && !output.isAvailable()) await output.waitUntilAvailable();
        if (yielder.add(batch.length)) await yieldToEventLoop();
      }
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  await Promise.all(
    environment.getAllInputGates().map((gate) => readGate(new RecordReader(gate, ioMetrics))),
  );
}
