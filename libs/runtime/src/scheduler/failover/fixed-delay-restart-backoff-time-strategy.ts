import type { Configuration } from '../../core/configuration.js';
import type {
  RestartBackoffTimeStrategy,
  RestartBackoffTimeStrategyFactory,
} from './restart-backoff-time-strategy.js';
import {
  checkRestartOption,
  RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
  RESTART_STRATEGY_FIXED_DELAY_DELAY,
} from './restart-strategy-options.js';

/** Parameters of {@link FixedDelayRestartBackoffTimeStrategy}. */
export interface FixedDelayRestartOptions {
  /** Restarts allowed before the job fails; >= 0. Config default 1. */
  readonly maxNumberRestartAttempts: number;
  /** Delay before each restart, in ms; >= 0. Config default 1 s. */
  readonly backoffTimeMs: number;
}

function validate(options: FixedDelayRestartOptions): FixedDelayRestartOptions {
  const { maxNumberRestartAttempts, backoffTimeMs } = options;
  checkRestartOption(
    maxNumberRestartAttempts >= 0 && Number.isInteger(maxNumberRestartAttempts),
    RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
    maxNumberRestartAttempts,
    'a whole number >= 0',
  );
  checkRestartOption(
    backoffTimeMs >= 0,
    RESTART_STRATEGY_FIXED_DELAY_DELAY,
    backoffTimeMs,
    'a delay >= 0 ms',
  );
  return { maxNumberRestartAttempts, backoffTimeMs };
}

function describe(options: FixedDelayRestartOptions): string {
  return (
    `FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=${options.maxNumberRestartAttempts}, ` +
    `backoffTimeMS=${options.backoffTimeMs})`
  );
}

/**
 * Restarts a fixed number of times with a fixed delay in between (`restart-strategy.type:
 * fixed-delay`). With `maxNumberRestartAttempts` N, the first N failures restart the job and the
 * (N+1)-th fails it.
 */
export class FixedDelayRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  private readonly options: FixedDelayRestartOptions;
  private currentRestartAttempt = 0;

  constructor(options: FixedDelayRestartOptions) {
    this.options = validate(options);
  }

  canRestart(): boolean {
    return this.currentRestartAttempt <= this.options.maxNumberRestartAttempts;
  }

  getBackoffTime(): number {
    return this.options.backoffTimeMs;
  }

  notifyFailure(): boolean {
    this.currentRestartAttempt++;
    return true;
  }

  toString(): string {
    return describe(this.options);
  }

  /** Reads `restart-strategy.fixed-delay.*`, validating each value. */
  static createFactory(configuration: Configuration): FixedDelayRestartBackoffTimeStrategyFactory {
    return new FixedDelayRestartBackoffTimeStrategyFactory({
      maxNumberRestartAttempts: configuration.get(RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS),
      backoffTimeMs: configuration.get(RESTART_STRATEGY_FIXED_DELAY_DELAY),
    });
  }
}

/** Creates {@link FixedDelayRestartBackoffTimeStrategy} instances; validates the options up front. */
export class FixedDelayRestartBackoffTimeStrategyFactory implements RestartBackoffTimeStrategyFactory {
  readonly options: FixedDelayRestartOptions;

  constructor(options: FixedDelayRestartOptions) {
    this.options = validate(options);
  }

  create(): RestartBackoffTimeStrategy {
    return new FixedDelayRestartBackoffTimeStrategy(this.options);
  }

  describe(): string {
    return describe(this.options);
  }

  toString(): string {
    return this.describe();
  }
}
