import { SystemClock } from '../../core/clock.js';
import type { Clock } from '../../core/clock.js';
import type { Configuration } from '../../core/configuration.js';
import type {
  RestartBackoffTimeStrategy,
  RestartBackoffTimeStrategyFactory,
} from './restart-backoff-time-strategy.js';
import {
  checkRestartOption,
  RESTART_STRATEGY_FAILURE_RATE_DELAY,
  RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL,
  RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL,
} from './restart-strategy-options.js';

/** Parameters of {@link FailureRateRestartBackoffTimeStrategy}. */
export interface FailureRateRestartOptions {
  /** Failures tolerated within one interval; >= 1. Config default 1. */
  readonly maxFailuresPerInterval: number;
  /** Length of the sliding window, in ms; > 0. Config default 1 min. */
  readonly failuresIntervalMs: number;
  /** Delay before each restart, in ms; >= 0. Config default 1 s. */
  readonly backoffTimeMs: number;
}

function validate(options: FailureRateRestartOptions): FailureRateRestartOptions {
  const { maxFailuresPerInterval, failuresIntervalMs, backoffTimeMs } = options;
  checkRestartOption(
    maxFailuresPerInterval >= 1 && Number.isInteger(maxFailuresPerInterval),
    RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL,
    maxFailuresPerInterval,
    'a whole number >= 1',
  );
  checkRestartOption(
    failuresIntervalMs > 0,
    RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL,
    failuresIntervalMs,
    'an interval > 0 ms',
  );
  checkRestartOption(
    backoffTimeMs >= 0,
    RESTART_STRATEGY_FAILURE_RATE_DELAY,
    backoffTimeMs,
    'a delay >= 0 ms',
  );
  return { maxFailuresPerInterval, failuresIntervalMs, backoffTimeMs };
}

function describe(options: FailureRateRestartOptions): string {
  return (
    `FailureRateRestartBackoffTimeStrategy(failuresIntervalMS=${options.failuresIntervalMs}, ` +
    `backoffTimeMS=${options.backoffTimeMs}, maxFailuresPerInterval=${options.maxFailuresPerInterval})`
  );
}

/**
 * Restarts as long as the failure rate stays within bounds (`restart-strategy.type: failure-rate`):
 * the job fails once more than `maxFailuresPerInterval` failures fall within one sliding interval.
 * As Flink, it keeps the timestamps of the last `maxFailuresPerInterval + 1` failures and refuses a
 * restart when the oldest of them is not older than the interval.
 */
export class FailureRateRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  private readonly options: FailureRateRestartOptions;
  private readonly failureTimestamps: number[] = [];

  constructor(
    options: FailureRateRestartOptions,
    private readonly clock: Clock = SystemClock,
  ) {
    this.options = validate(options);
  }

  canRestart(): boolean {
    if (!this.isFailureTimestampsQueueFull()) return true;
    const earliestFailure = this.failureTimestamps[0] ?? Number.NEGATIVE_INFINITY;
    return this.clock.relativeTimeMillis() - earliestFailure > this.options.failuresIntervalMs;
  }

  getBackoffTime(): number {
    return this.options.backoffTimeMs;
  }

  notifyFailure(): boolean {
    if (this.isFailureTimestampsQueueFull()) this.failureTimestamps.shift();
    this.failureTimestamps.push(this.clock.relativeTimeMillis());
    return true;
  }

  toString(): string {
    return describe(this.options);
  }

  private isFailureTimestampsQueueFull(): boolean {
    return this.failureTimestamps.length > this.options.maxFailuresPerInterval;
  }

  /** Reads `restart-strategy.failure-rate.*`, validating each value. */
  static createFactory(
    configuration: Configuration,
    clock: Clock = SystemClock,
  ): FailureRateRestartBackoffTimeStrategyFactory {
    return new FailureRateRestartBackoffTimeStrategyFactory(
      {
        maxFailuresPerInterval: configuration.get(RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL),
        failuresIntervalMs: configuration.get(RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL),
        backoffTimeMs: configuration.get(RESTART_STRATEGY_FAILURE_RATE_DELAY),
      },
      clock,
    );
  }
}

/** Creates {@link FailureRateRestartBackoffTimeStrategy} instances on one clock; validates the options up front. */
export class FailureRateRestartBackoffTimeStrategyFactory implements RestartBackoffTimeStrategyFactory {
  readonly options: FailureRateRestartOptions;

  constructor(
    options: FailureRateRestartOptions,
    private readonly clock: Clock = SystemClock,
  ) {
    this.options = validate(options);
  }

  create(): RestartBackoffTimeStrategy {
    return new FailureRateRestartBackoffTimeStrategy(this.options, this.clock);
  }

  describe(): string {
    return describe(this.options);
  }

  toString(): string {
    return this.describe();
  }
}
