import { SystemClock } from '../../core/clock.js';
import type { Clock } from '../../core/clock.js';
import type { Configuration } from '../../core/configuration.js';
import { IllegalStateError } from '../../core/errors.js';
import type {
  RestartBackoffTimeStrategy,
  RestartBackoffTimeStrategyFactory,
} from './restart-backoff-time-strategy.js';
import {
  checkRestartOption,
  RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
  RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER,
  RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
  RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR,
  RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
  RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
} from './restart-strategy-options.js';

/** Parameters of {@link ExponentialDelayRestartBackoffTimeStrategy}. */
export interface ExponentialDelayRestartOptions {
  /** Backoff of the first attempt, in ms; >= 0 and <= maxBackoffMs. Config default 1 s. */
  readonly initialBackoffMs: number;
  /** Upper bound of the backoff, in ms; >= 0. Config default 1 min. */
  readonly maxBackoffMs: number;
  /** Growth factor per attempt; >= 1. Config default 1.5. */
  readonly backoffMultiplier: number;
  /** Failure-free time after the pending backoff that resets the attempt counter, in ms; >= 0. Config default 1 h. */
  readonly resetBackoffThresholdMs: number;
  /** The backoff is moved randomly by up to ±factor × backoff; in [0, 1]. Config default 0.1. */
  readonly jitterFactor: number;
  /** Restarts allowed before a reset; a whole number >= 1 or Infinity. Config default Infinity. */
  readonly attemptsBeforeResetBackoff: number;
}

/** A uniform random number in [0, 1), like Math.random; injectable so tests can pin the jitter. */
export type RandomSource = () => number;

function validate(options: ExponentialDelayRestartOptions): ExponentialDelayRestartOptions {
  const { initialBackoffMs, maxBackoffMs, backoffMultiplier, resetBackoffThresholdMs, jitterFactor } =
    options;
  const { attemptsBeforeResetBackoff } = options;
  checkRestartOption(
    initialBackoffMs >= 0,
    RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
    initialBackoffMs,
    'a delay >= 0 ms',
  );
  checkRestartOption(
    maxBackoffMs >= 0,
    RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
    maxBackoffMs,
    'a delay >= 0 ms',
  );
  checkRestartOption(
    initialBackoffMs <= maxBackoffMs,
    RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
    initialBackoffMs,
    `a delay no higher than ${RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF.key} (${maxBackoffMs} ms)`,
  );
  checkRestartOption(
    backoffMultiplier >= 1,
    RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER,
    backoffMultiplier,
    'a multiplier >= 1',
  );
  checkRestartOption(
    resetBackoffThresholdMs >= 0,
    RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
    resetBackoffThresholdMs,
    'a duration >= 0 ms',
  );
  checkRestartOption(
    jitterFactor >= 0 && jitterFactor <= 1,
    RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR,
    jitterFactor,
    'a factor between 0 and 1',
  );
  checkRestartOption(
    attemptsBeforeResetBackoff >= 1 &&
      (Number.isInteger(attemptsBeforeResetBackoff) ||
        attemptsBeforeResetBackoff === Number.POSITIVE_INFINITY),
    RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
    attemptsBeforeResetBackoff,
    'a whole number >= 1 or Infinity',
  );
  return { ...options };
}

function describe(options: ExponentialDelayRestartOptions): string {
  return (
    `ExponentialDelayRestartBackoffTimeStrategy(initialBackoffMS=${options.initialBackoffMs}, ` +
    `maxBackoffMS=${options.maxBackoffMs}, backoffMultiplier=${options.backoffMultiplier}, ` +
    `resetBackoffThresholdMS=${options.resetBackoffThresholdMs}, jitterFactor=${options.jitterFactor}, ` +
    `attemptsBeforeResetBackoff=${options.attemptsBeforeResetBackoff})`
  );
}

/**
 * Restarts with a backoff that grows exponentially from `initialBackoffMs` by `backoffMultiplier` up
 * to `maxBackoffMs` (`restart-strategy.type: exponential-delay`), with Flink's FLIP-364 semantics:
 *
 * - A failure that arrives while a restart is still pending (not later than the time the pending
 *   backoff ends) is merged into that attempt: {@link notifyFailure} returns false, the attempt
 *   counter and the backoff do not grow.
 * - When the job ran for `resetBackoffThresholdMs` after its last backoff ended without failing, the
 *   attempt counter and the backoff go back to their initial values.
 * - After `attemptsBeforeResetBackoff` attempts without a reset, the next attempt fails the job.
 * - Jitter moves each backoff by a random whole number of ms in [-f×b, +f×b]; the result stays within
 *   [initialBackoffMs, maxBackoffMs].
 */
export class ExponentialDelayRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  private readonly options: ExponentialDelayRestartOptions;
  private currentRestartAttempt = 0;
  /** When the pending restart is due (clock's relative ms); undefined before the first failure. */
  private nextRestartTimestamp: number | undefined;

  constructor(
    options: ExponentialDelayRestartOptions,
    private readonly clock: Clock = SystemClock,
    private readonly random: RandomSource = Math.random,
  ) {
    this.options = validate(options);
  }

  canRestart(): boolean {
    return this.currentRestartAttempt <= this.options.attemptsBeforeResetBackoff;
  }

  /** Time left until the pending restart is due; throws IllegalStateError before the first failure. */
  getBackoffTime(): number {
    if (this.nextRestartTimestamp === undefined) {
      throw new IllegalStateError('Please call notifyFailure first.');
    }
    return Math.max(0, this.nextRestartTimestamp - this.clock.relativeTimeMillis());
  }

  notifyFailure(): boolean {
    const now = this.clock.relativeTimeMillis();
    const pending = this.nextRestartTimestamp;
    // Failures while tasks still wait for their restart belong to the attempt already scheduled.
    if (pending !== undefined && now <= pending) return false;

    if (pending === undefined || now - pending >= this.options.resetBackoffThresholdMs) {
      this.currentRestartAttempt = 0;
    }
    this.nextRestartTimestamp = now + this.calculateActualBackoffTime();
    this.currentRestartAttempt++;
    return true;
  }

  toString(): string {
    const params = describe(this.options).slice(0, -1);
    const next = this.nextRestartTimestamp ?? 'none';
    return `${params}, currentRestartAttempt=${this.currentRestartAttempt}, nextRestartTimestamp=${next})`;
  }

  private calculateActualBackoffTime(): number {
    const { initialBackoffMs, maxBackoffMs, backoffMultiplier } = this.options;
    const growth = backoffMultiplier ** this.currentRestartAttempt;
    const currentBackoff = initialBackoffMs === 0 ? 0 : Math.trunc(initialBackoffMs * growth);
    if (!Number.isFinite(currentBackoff)) return maxBackoffMs;
    const withJitter = currentBackoff + this.calculateJitterBackoffMs(currentBackoff);
    return Math.max(initialBackoffMs, Math.min(withJitter, maxBackoffMs));
  }

  /** A whole number of ms in [-n, n] with n = jitterFactor × backoff, so restarts of many jobs spread out. */
  private calculateJitterBackoffMs(currentBackoffMs: number): number {
    if (this.options.jitterFactor === 0) return 0;
    const offset = Math.trunc(currentBackoffMs * this.options.jitterFactor);
    const pick = Math.min(Math.floor(this.random() * (2 * offset + 1)), 2 * offset);
    return pick - offset;
  }

  /** Reads `restart-strategy.exponential-delay.*`, validating each value. */
  static createFactory(
    configuration: Configuration,
    clock: Clock = SystemClock,
    random: RandomSource = Math.random,
  ): ExponentialDelayRestartBackoffTimeStrategyFactory {
    return new ExponentialDelayRestartBackoffTimeStrategyFactory(
      ExponentialDelayRestartBackoffTimeStrategy.readOptions(configuration),
      clock,
      random,
    );
  }

  /** The options as configured, each defaulting to its ConfigOption's default. */
  static readOptions(configuration: Configuration): ExponentialDelayRestartOptions {
    return {
      initialBackoffMs: configuration.get(RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF),
      maxBackoffMs: configuration.get(RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF),
      backoffMultiplier: configuration.get(RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER),
      resetBackoffThresholdMs: configuration.get(RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD),
      jitterFactor: configuration.get(RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR),
      attemptsBeforeResetBackoff: configuration.get(RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS),
    };
  }
}

/** Creates {@link ExponentialDelayRestartBackoffTimeStrategy} instances; validates the options up front. */
export class ExponentialDelayRestartBackoffTimeStrategyFactory implements RestartBackoffTimeStrategyFactory {
  readonly options: ExponentialDelayRestartOptions;

  constructor(
    options: ExponentialDelayRestartOptions,
    private readonly clock: Clock = SystemClock,
    private readonly random: RandomSource = Math.random,
  ) {
    this.options = validate(options);
  }

  create(): RestartBackoffTimeStrategy {
    return new ExponentialDelayRestartBackoffTimeStrategy(this.options, this.clock, this.random);
  }

  describe(): string {
    return describe(this.options);
  }

  toString(): string {
    return this.describe();
  }
}
