import { TimeoutError } from './errors.js';
import type { ScheduledExecutor } from './clock.js';

/** A promise with its resolve and reject at hand (Flink's CompletableFuture, completed from outside). */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
  isDone(): boolean;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  let done = false;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return {
    promise,
    resolve(value) {
      if (done) return;
      done = true;
      resolve(value);
    },
    reject(reason) {
      if (done) return;
      done = true;
      reject(reason);
    },
    isDone: () => done,
  };
}

/** Rejects with a TimeoutError naming `what` if `promise` has not settled after `timeoutMs`. */
export function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number,
  what: string,
  executor: ScheduledExecutor,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = executor.schedule(() => {
      reject(new TimeoutError(`${what} did not complete within ${timeoutMs} ms.`));
    }, timeoutMs);
    promise.then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Lets other work on the event loop (I/O, timers, other tasks) run before continuing. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Acknowledge of an RPC that has no result (Flink's Acknowledge). */
export type Acknowledge = 'ACK';
export const Acknowledge = { get: (): Acknowledge => 'ACK' };
