import { IllegalArgumentError } from '../../core/errors.js';
import { AbstractInvokable } from '../invokable.js';
import { consumeInputs, emitAll, TaskOutput } from './data-path.js';

/** A key (a string or number: keys are compared by value, so objects would never match) and a sum. */
export type KeyedSum = [key: unknown, sum: number];

/**
 * Sums the numbers of `[key, number]` tuples per key, and once every input has ended emits one
 * `[key, sum]` per key, in the order keys first appeared (batch semantics, Flink's
 * `groupBy(0).sum(1)` on a bounded input). Reads all inputs; writes to every writer. A record that
 * is not a `[key, number]` tuple fails the task. When cancelled it stops without emitting.
 */
export class SumByKeyTask extends AbstractInvokable {
  static readonly invokableName = 'eddy.sum-by-key';

  async invoke(): Promise<void> {
    const environment = this.getEnvironment();
    const sums = new Map<unknown, number>();
    await consumeInputs(environment, (records) => {
      for (const record of records) {
        if (!Array.isArray(record) || typeof record[1] !== 'number') {
          throw new IllegalArgumentError(
            `${SumByKeyTask.invokableName} expects [key, number] tuples but read ${describe(record)}.`,
          );
        }
        const key: unknown = record[0];
        sums.set(key, (sums.get(key) ?? 0) + record[1]);
      }
    });
    if (this.isCanceled()) return;
    const output = new TaskOutput<KeyedSum>(environment);
    await emitAll(output, sums, environment.getCancellationSignal());
  }
}

function describe(record: unknown): string {
  try {
    // JSON.stringify() returns undefined for undefined and functions, whatever its declared type says.
    const json = JSON.stringify(record) as unknown;
    return typeof json === 'string' ? json : String(record);
  } catch {
    return String(record);
  }
}
