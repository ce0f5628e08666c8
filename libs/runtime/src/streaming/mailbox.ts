import { deferred } from '../core/async.js';
import type { Deferred } from '../core/async.js';
import type { MaybePromise } from './stream-operator.js';

/** A control action a task runs between buffers (Flink's Mail): a checkpoint trigger, a notification. */
export interface Mail {
  /** For messages. */
  readonly description: string;
  run(): MaybePromise<void>;
  /** Called instead of `run` when the mailbox closed before the mail ran. */
  discard?(): void;
}

/**
 * Wakes a waiting task loop: whatever it waits for (input, writer capacity, mail, cancellation)
 * calls `wake()`. A wake-up with no waiter is dropped; the loop re-checks every condition after
 * each wait, so nothing is lost.
 */
export class TaskWaker {
  private waiting: Deferred<void> | undefined;

  wake(): void {
    const waiting = this.waiting;
    if (waiting === undefined) return;
    this.waiting = undefined;
    waiting.resolve();
  }

  /** Resolves at the next `wake()`. */
  wait(): Promise<void> {
    this.waiting ??= deferred();
    return this.waiting.promise;
  }
}

/**
 * The mailbox of a task (Flink's TaskMailbox): mails are put from outside (RPC calls reaching the
 * task) and run by the task's loop between buffers, one after another, so they never run in the
 * middle of a record. Putting a mail wakes the loop. Once closed, puts are refused and the mails
 * left are discarded.
 */
export class TaskMailbox {
  private queue: Mail[] = [];
  private closed = false;

  constructor(private readonly waker: TaskWaker) {}

  /** Queues `mail`; false (and the mail is discarded) when the mailbox is closed. */
  put(mail: Mail): boolean {
    if (this.closed) {
      mail.discard?.();
      return false;
    }
    this.queue.push(mail);
    this.waker.wake();
    return true;
  }

  hasMail(): boolean {
    return this.queue.length > 0;
  }

  /** The oldest mail, removed from the queue. */
  take(): Mail | undefined {
    return this.queue.shift();
  }

  isClosed(): boolean {
    return this.closed;
  }

  /** Refuses further mail and discards the mail left. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const left = this.queue;
    this.queue = [];
    for (const mail of left) mail.discard?.();
  }
}
