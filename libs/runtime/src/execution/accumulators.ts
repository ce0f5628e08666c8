import { IllegalArgumentError, IllegalStateError } from '../core/errors.js';

/**
 * The plain-data form of an accumulator's value, as tasks report it to the JobMaster, which
 * merges the reports of all subtasks by `type`.
 */
export type SerializedAccumulator =
  | { readonly type: 'IntCounter' | 'LongCounter' | 'DoubleCounter'; readonly value: number }
  | { readonly type: 'IntMaximum' | 'IntMinimum'; readonly value: number | null }
  | { readonly type: 'Average'; readonly value: { readonly sum: number; readonly count: number } }
  | { readonly type: 'List'; readonly value: readonly unknown[] }
  | { readonly type: 'Histogram'; readonly value: Readonly<Record<string, number>> };

export type AccumulatorType = SerializedAccumulator['type'];

/**
 * A value a task builds up while it runs and the job reports when it ends (Flink's Accumulator):
 * counters, min/max, average, list (collects records into the job result) and histogram.
 */
export interface Accumulator<V, R> {
  add(value: V): void;
  getLocalValue(): R;
  resetLocal(): void;
  snapshot(): SerializedAccumulator;
}

abstract class Counter implements Accumulator<number, number> {
  protected value = 0;
  constructor(protected readonly type: 'IntCounter' | 'LongCounter' | 'DoubleCounter') {}
  add(value: number): void {
    this.value += value;
  }
  getLocalValue(): number {
    return this.value;
  }
  resetLocal(): void {
    this.value = 0;
  }
  snapshot(): SerializedAccumulator {
    return { type: this.type, value: this.value };
  }
}

export class IntCounter extends Counter {
  constructor(initial = 0) {
    super('IntCounter');
    this.value = initial;
  }
}
export class LongCounter extends Counter {
  constructor(initial = 0) {
    super('LongCounter');
    this.value = initial;
  }
}
export class DoubleCounter extends Counter {
  constructor(initial = 0) {
    super('DoubleCounter');
    this.value = initial;
  }
}

export class IntMaximum implements Accumulator<number, number | null> {
  private value: number | null = null;
  add(value: number): void {
    this.value = this.value === null ? value : Math.max(this.value, value);
  }
  getLocalValue(): number | null {
    return this.value;
  }
  resetLocal(): void {
    this.value = null;
  }
  snapshot(): SerializedAccumulator {
    return { type: 'IntMaximum', value: this.value };
  }
}

export class IntMinimum implements Accumulator<number, number | null> {
  private value: number | null = null;
  add(value: number): void {
    this.value = this.value === null ? value : Math.min(this.value, value);
  }
  getLocalValue(): number | null {
    return this.value;
  }
  resetLocal(): void {
    this.value = null;
  }
  snapshot(): SerializedAccumulator {
    return { type: 'IntMinimum', value: this.value };
  }
}

export class AverageAccumulator implements Accumulator<number, number> {
  private sum = 0;
  private count = 0;
  add(value: number): void {
    this.sum += value;
    this.count++;
  }
  getLocalValue(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }
  resetLocal(): void {
    this.sum = 0;
    this.count = 0;
  }
  snapshot(): SerializedAccumulator {
    return { type: 'Average', value: { sum: this.sum, count: this.count } };
  }
}

export class ListAccumulator<T> implements Accumulator<T, T[]> {
  private values: T[] = [];
  add(value: T): void {
    this.values.push(value);
  }
  getLocalValue(): T[] {
    return this.values;
  }
  resetLocal(): void {
    this.values = [];
  }
  snapshot(): SerializedAccumulator {
    return { type: 'List', value: [...this.values] };
  }
}

/** Counts occurrences of each integer (Flink's Histogram). */
export class Histogram implements Accumulator<number, Map<number, number>> {
  private readonly counts = new Map<number, number>();
  add(value: number): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }
  getLocalValue(): Map<number, number> {
    return this.counts;
  }
  resetLocal(): void {
    this.counts.clear();
  }
  snapshot(): SerializedAccumulator {
    return { type: 'Histogram', value: Object.fromEntries(this.counts) };
  }
}

/** The accumulators of one task, by name. */
export class AccumulatorRegistry {
  private readonly accumulators = new Map<string, Accumulator<unknown, unknown>>();

  /** Registers an accumulator; a second one under the same name is an error (as in Flink). */
  addAccumulator<V, R>(name: string, accumulator: Accumulator<V, R>): Accumulator<V, R> {
    if (this.accumulators.has(name)) {
      throw new IllegalStateError(`An accumulator named '${name}' already exists in this task.`);
    }
    this.accumulators.set(name, accumulator);
    return accumulator;
  }

  getAccumulator<V, R>(name: string): Accumulator<V, R> | undefined {
    return this.accumulators.get(name) as Accumulator<V, R> | undefined;
  }

  /** Returns the accumulator named `name`, registering `create()` under it first if there is none. */
  getOrAdd<A extends Accumulator<never, unknown>>(name: string, create: () => A): A {
    const existing = this.accumulators.get(name);
    if (existing !== undefined) return existing as unknown as A;
    const created = create();
    this.accumulators.set(name, created);
    return created;
  }

  snapshot(): Record<string, SerializedAccumulator> {
    const result: Record<string, SerializedAccumulator> = {};
    for (const [name, accumulator] of this.accumulators) result[name] = accumulator.snapshot();
    return result;
  }
}

/** Merges two reports of the same accumulator; they must be of the same type. */
export function mergeSerializedAccumulators(
  name: string,
  a: SerializedAccumulator,
  b: SerializedAccumulator,
): SerializedAccumulator {
  if (a.type !== b.type) {
    throw new IllegalArgumentError(
      `Accumulator '${name}' is a ${a.type} in one task and a ${b.type} in another.`,
    );
  }
  switch (a.type) {
    case 'IntCounter':
    case 'LongCounter':
    case 'DoubleCounter':
      return { type: a.type, value: a.value + (b.value as number) };
    case 'IntMaximum':
    case 'IntMinimum': {
      const other = b.value as number | null;
      if (a.value === null) return { type: a.type, value: other };
      if (other === null) return a;
      return {
        type: a.type,
        value: a.type === 'IntMaximum' ? Math.max(a.value, other) : Math.min(a.value, other),
      };
    }
    case 'Average': {
      const other = b.value as { sum: number; count: number };
      return { type: 'Average', value: { sum: a.value.sum + other.sum, count: a.value.count + other.count } };
    }
    case 'List':
      return { type: 'List', value: [...a.value, ...(b.value as readonly unknown[])] };
    case 'Histogram': {
      const merged: Record<string, number> = { ...a.value };
      for (const [key, count] of Object.entries(b.value as Record<string, number>))
        merged[key] = (merged[key] ?? 0) + count;
      return { type: 'Histogram', value: merged };
    }
  }
}

/** Merges the reports of many tasks into one report per accumulator name. */
export function mergeAccumulatorSnapshots(
  snapshots: Iterable<Readonly<Record<string, SerializedAccumulator>>>,
): Record<string, SerializedAccumulator> {
  const merged: Record<string, SerializedAccumulator> = {};
  for (const snapshot of snapshots) {
    for (const [name, value] of Object.entries(snapshot)) {
      const existing = merged[name];
      merged[name] = existing === undefined ? value : mergeSerializedAccumulators(name, existing, value);
    }
  }
  return merged;
}

/** The value a user sees for a merged accumulator (Flink's `getLocalValue()` after merging). */
export function accumulatorResultValue(serialized: SerializedAccumulator): unknown {
  switch (serialized.type) {
    case 'Average':
      return serialized.value.count === 0 ? 0 : serialized.value.sum / serialized.value.count;
    default:
      return serialized.value;
  }
}
