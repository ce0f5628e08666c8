import type { Clock, ScheduledExecutor, ScheduledTask } from '../core/clock.js';

/**
 * The timer of the periodic checkpoint scheduler: calls `onTrigger` at a fixed rate of
 * `intervalMs`, starting after a given delay. Rescheduling restarts the rate from a new first delay
 * (the coordinator does that when min pause holds a trigger back).
 */
export class PeriodicCheckpointTrigger {
  private task: ScheduledTask | undefined;
  private nextTriggerRelativeTime = 0;

  constructor(
    private readonly clock: Clock,
    private readonly executor: ScheduledExecutor,
    private readonly intervalMs: number,
    private readonly onTrigger: () => void,
  ) {}

  /** (Re)starts the timer: the first call `delayMs` from now, then one every interval. */
  schedule(delayMs: number): void {
    this.cancel();
    this.nextTriggerRelativeTime = this.clock.relativeTimeMillis() + delayMs;
    this.task = this.executor.schedule(() => {
      this.fire();
    }, delayMs);
  }

  cancel(): void {
    this.task?.cancel();
    this.task = undefined;
  }

  isScheduled(): boolean {
    return this.task !== undefined;
  }

  private fire(): void {
    // Schedule the next one first: onTrigger may reschedule, which must replace it.
    this.nextTriggerRelativeTime += this.intervalMs;
    const delay = Math.max(0, this.nextTriggerRelativeTime - this.clock.relativeTimeMillis());
    this.task = this.executor.schedule(() => {
      this.fire();
    }, delay);
    this.onTrigger();
  }
}

/** Flink's initial delay of the periodic scheduler: uniform in [minPause, interval] (`random` in [0, 1)). */
export function randomInitialDelay(intervalMs: number, minPauseMs: number, random: () => number): number {
  if (minPauseMs >= intervalMs) return minPauseMs;
  return minPauseMs + Math.floor(random() * (intervalMs - minPauseMs + 1));
}
