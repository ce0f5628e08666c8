/** A source of time in milliseconds, so that timing logic can be tested with a manual clock. */
export interface Clock {
  /** Wall-clock milliseconds since the epoch (for timestamps shown to users). */
  absoluteTimeMillis(): number;
  /** Monotonic milliseconds (for measuring durations and timeouts). */
  relativeTimeMillis(): number;
}

export const SystemClock: Clock = {
  absoluteTimeMillis: () => Date.now(),
  relativeTimeMillis: () => performance.now(),
};

/** A handle to cancel a scheduled action. */
export interface ScheduledTask {
  cancel(): void;
}

/**
 * Runs actions after a delay (Flink's ScheduledExecutor). Components take one instead of calling
 * setTimeout so that restart backoff, slot timeouts and periodic triggers run on a manual clock in
 * tests.
 */
export interface ScheduledExecutor {
  schedule(action: () => void, delayMs: number): ScheduledTask;
}

/** Timers on the Node event loop. Timers are unref'd: a pending delay never keeps a process alive. */
export const SystemScheduledExecutor: ScheduledExecutor = {
  schedule(action, delayMs) {
    const handle = setTimeout(action, Math.max(0, delayMs));
    handle.unref();
    return {
      cancel: () => {
        clearTimeout(handle);
      },
    };
  },
};

/** A clock and executor that only move when the test says so: `advance(ms)` runs what became due. */
export class ManualClock implements Clock, ScheduledExecutor {
  private now = 0;
  private sequence = 0;
  private readonly pending: { at: number; seq: number; action: () => void; cancelled: boolean }[] = [];

  constructor(startMillis = 0) {
    this.now = startMillis;
  }

  absoluteTimeMillis(): number {
    return this.now;
  }

  relativeTimeMillis(): number {
    return this.now;
  }

  schedule(action: () => void, delayMs: number): ScheduledTask {
    const entry = { at: this.now + Math.max(0, delayMs), seq: this.sequence++, action, cancelled: false };
    this.pending.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Moves time forward, running each due action in time order (actions may schedule more). */
  advance(ms: number): void {
    const target = this.now + ms;
    for (;;) {
      const next = this.nextDue(target);
      if (next === undefined) break;
      this.pending.splice(this.pending.indexOf(next), 1);
      this.now = Math.max(this.now, next.at);
      if (!next.cancelled) next.action();
    }
    this.now = target;
  }

  /** Number of scheduled actions not yet run or cancelled. */
  numberOfScheduledTasks(): number {
    return this.pending.filter((entry) => !entry.cancelled).length;
  }

  private nextDue(target: number) {
    let best: (typeof this.pending)[number] | undefined;
    for (const entry of this.pending) {
      if (
        entry.at <= target &&
        (best === undefined || entry.at < best.at || (entry.at === best.at && entry.seq < best.seq))
      ) {
        best = entry;
      }
    }
    return best;
  }
}
