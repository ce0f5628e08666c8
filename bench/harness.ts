/**
 * What the benchmarks share: one result row per figure (measured next to a same-run baseline), a
 * median, a full garbage collection, and the table `run.ts` prints.
 */

/** One figure of a benchmark, with the baseline it is compared to and the target it must meet. */
export interface BenchResult {
  /** What was measured, e.g. `execution graph 10k×10k: time`. */
  readonly name: string;
  /** The figure, formatted with its unit. */
  readonly figure: string;
  /** The baseline, formatted with its unit and saying where it comes from. */
  readonly baseline: string;
  /** figure / baseline, formatted (e.g. `2.41×`), or `n/a`. */
  readonly ratio: string;
  /** The target, formatted (e.g. `≤ 300 ms`), or `-` when there is none. */
  readonly target: string;
  /** Whether the figure meets the target; undefined when there is no target. */
  readonly targetMet: boolean | undefined;
  /** Checks that make the figure honest (record counts, region counts); `ok` when all passed. */
  readonly check: string;
}

/** A full, blocking garbage collection; requires `node --expose-gc`. */
export function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('The benchmarks need `node --expose-gc` (npm run bench passes it).');
  // Twice: the first pass can leave objects whose finalisation the second one collects.
  gc();
  gc();
}

/** The heap in use after a full GC, in bytes. */
export function retainedHeapBytes(): number {
  fullGc();
  return process.memoryUsage().heapUsed;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('The median of no values is undefined.');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}

export const MB = 1024 * 1024;

export function formatMs(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}

export function formatMb(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

export function formatRate(perSecond: number): string {
  return `${(perSecond / 1e6).toFixed(2)} M rec/s`;
}

export function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : 'n/a';
}

/** Lays out rows as a text table with a header and aligned columns. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ');
  const separator = widths.map((width) => '-'.repeat(width)).join('-+-');
  return [line(header), separator, ...rows.map(line)].join('\n');
}
