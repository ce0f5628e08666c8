import { ConfigOptions } from '../../core/configuration.js';
import type { ConfigOption, ConfigValue } from '../../core/configuration.js';
import { IllegalArgumentError } from '../../core/errors.js';

/**
 * Which restart strategy to use when a job fails (Flink's `restart-strategy.type`). No default: when
 * neither the job nor the cluster sets it, the job restarts with `exponential-delay` if
 * checkpointing is enabled and does not restart otherwise (Flink ≥ 1.19). Accepted values
 * (case-insensitive): `none`, `off`, `disable`; `fixed-delay`, `fixeddelay`; `failure-rate`,
 * `failurerate`; `exponential-delay`, `exponentialdelay`. The pre-1.17 key `restart-strategy` is
 * still read.
 */
export const RESTART_STRATEGY = ConfigOptions.key('restart-strategy.type')
  .stringType()
  .noDefaultValue()
  .withDescription(
    'Defines the restart strategy to use in case of job failures. Accepted values: none, off, disable; ' +
      'fixed-delay, fixeddelay; failure-rate, failurerate; exponential-delay, exponentialdelay. ' +
      'If not set: exponential-delay when checkpointing is enabled, none otherwise.',
  )
  .withFallbackKeys('restart-strategy');

/** Restarts allowed by `fixed-delay` before the job fails. Default 1; must be >= 0. */
export const RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS = ConfigOptions.key(
  'restart-strategy.fixed-delay.attempts',
)
  .intType()
  .defaultValue(1)
  .withDescription(
    'The number of times that the job is retried before it is declared as failed if restart-strategy.type is fixed-delay.',
  );

/** Delay between two restarts of `fixed-delay`, in ms. Default 1 s; must be >= 0. */
export const RESTART_STRATEGY_FIXED_DELAY_DELAY = ConfigOptions.key('restart-strategy.fixed-delay.delay')
  .durationType()
  .defaultValue(1000)
  .withDescription(
    'Delay between two consecutive restart attempts if restart-strategy.type is fixed-delay, e.g. "1 min", "20 s".',
  );

/** Failures tolerated by `failure-rate` within one interval. Default 1; must be >= 1. */
export const RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL = ConfigOptions.key(
  'restart-strategy.failure-rate.max-failures-per-interval',
)
  .intType()
  .defaultValue(1)
  .withDescription(
    'Maximum number of restarts in given time interval before failing a job if restart-strategy.type is failure-rate.',
  );

/** The sliding window over which `failure-rate` counts failures, in ms. Default 1 min; must be > 0. */
export const RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL = ConfigOptions.key(
  'restart-strategy.failure-rate.failure-rate-interval',
)
  .durationType()
  .defaultValue(60_000)
  .withDescription('Time interval for measuring failure rate if restart-strategy.type is failure-rate.');

/** Delay between two restarts of `failure-rate`, in ms. Default 1 s; must be >= 0. */
export const RESTART_STRATEGY_FAILURE_RATE_DELAY = ConfigOptions.key('restart-strategy.failure-rate.delay')
  .durationType()
  .defaultValue(1000)
  .withDescription(
    'Delay between two consecutive restart attempts if restart-strategy.type is failure-rate.',
  );

/** First backoff of `exponential-delay`, in ms. Default 1 s; must be >= 0 and <= the max backoff. */
export const RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF = ConfigOptions.key(
  'restart-strategy.exponential-delay.initial-backoff',
)
  .durationType()
  .defaultValue(1000)
  .withDescription('Starting duration between restarts if restart-strategy.type is exponential-delay.');

/** Highest backoff of `exponential-delay`, in ms. Default 1 min (5 min before FLIP-364); must be >= 0. */
export const RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF = ConfigOptions.key(
  'restart-strategy.exponential-delay.max-backoff',
)
  .durationType()
  .defaultValue(60_000)
  .withDescription(
    'The highest possible duration between restarts if restart-strategy.type is exponential-delay.',
  );

/** Factor applied to the backoff after every attempt. Default 1.5 (2.0 before FLIP-364); must be >= 1. */
export const RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER = ConfigOptions.key(
  'restart-strategy.exponential-delay.backoff-multiplier',
)
  .doubleType()
  .defaultValue(1.5)
  .withDescription(
    'Backoff value is multiplied by this value after every failure, until max backoff is reached, ' +
      'if restart-strategy.type is exponential-delay.',
  );

/**
 * How long a job must run without failure (after its backoff elapsed) for the backoff and the attempt
 * counter to reset, in ms. Default 1 h; must be >= 0.
 */
export const RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD = ConfigOptions.key(
  'restart-strategy.exponential-delay.reset-backoff-threshold',
)
  .durationType()
  .defaultValue(3_600_000)
  .withDescription(
    'Threshold when the backoff is reset to its initial value if restart-strategy.type is exponential-delay. ' +
      'It specifies how long the job must be running without failure to reset the exponentially increasing ' +
      'backoff to its initial value.',
  );

/** Portion of the backoff randomly added or subtracted. Default 0.1; must be in [0, 1]. */
export const RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR = ConfigOptions.key(
  'restart-strategy.exponential-delay.jitter-factor',
)
  .doubleType()
  .defaultValue(0.1)
  .withDescription(
    'Jitter specified as a portion of the backoff if restart-strategy.type is exponential-delay. ' +
      'It represents how large random value will be added or subtracted to the backoff.',
  );

const ATTEMPTS_BEFORE_RESET_KEY = 'restart-strategy.exponential-delay.attempts-before-reset-backoff';

/**
 * Restarts allowed by `exponential-delay` before the backoff resets; one more failure fails the job.
 * Default unbounded (`Infinity`; Flink's Integer.MAX_VALUE); must be >= 1. Accepts a whole number or
 * `Infinity`.
 */
export const RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS: ConfigOption<number> = {
  key: ATTEMPTS_BEFORE_RESET_KEY,
  defaultValue: Number.POSITIVE_INFINITY,
  description:
    'The number of times that the job is retried before it is declared as failed, before the backoff is reset, ' +
    'if restart-strategy.type is exponential-delay. Unbounded by default.',
  fallbackKeys: [],
  parse(value: ConfigValue): number {
    const text = String(value).trim();
    if (value === Number.POSITIVE_INFINITY || /^(\+?infinity|inf|unbounded)$/i.test(text)) {
      return Number.POSITIVE_INFINITY;
    }
    const n = typeof value === 'number' ? value : text === '' ? NaN : Number(text);
    if (!Number.isSafeInteger(n)) {
      throw new IllegalArgumentError(
        `Configuration '${ATTEMPTS_BEFORE_RESET_KEY}' has the value '${String(value)}': expected a whole number or Infinity.`,
      );
    }
    return n;
  },
  format(value: number): ConfigValue {
    return Number.isFinite(value) ? value : 'Infinity';
  },
};

/** The restart strategies, by their canonical `restart-strategy.type` name. */
export type RestartStrategyType = 'none' | 'fixed-delay' | 'failure-rate' | 'exponential-delay';

const RESTART_STRATEGY_ALIASES: Readonly<Record<string, RestartStrategyType>> = {
  none: 'none',
  off: 'none',
  disable: 'none',
  'fixed-delay': 'fixed-delay',
  fixeddelay: 'fixed-delay',
  'failure-rate': 'failure-rate',
  failurerate: 'failure-rate',
  'exponential-delay': 'exponential-delay',
  exponentialdelay: 'exponential-delay',
};

/** Every value `restart-strategy.type` accepts (case-insensitive). */
export const ACCEPTED_RESTART_STRATEGY_VALUES: readonly string[] = Object.keys(RESTART_STRATEGY_ALIASES);

/**
 * The strategy a `restart-strategy.type` value names (Flink's `RestartStrategyType.of`), ignoring case
 * and surrounding blanks; throws IllegalArgumentError naming the value and the accepted ones.
 */
export function parseRestartStrategyType(value: string): RestartStrategyType {
  const type = RESTART_STRATEGY_ALIASES[value.trim().toLowerCase()];
  if (type === undefined) {
    throw new IllegalArgumentError(
      `Unknown restart strategy '${value}' in '${RESTART_STRATEGY.key}'. ` +
        `Accepted values are: ${ACCEPTED_RESTART_STRATEGY_VALUES.join(', ')}.`,
    );
  }
  return type;
}

/**
 * Checks one restart-strategy parameter; the error names the configuration key, since that is where a
 * user sets it.
 */
export function checkRestartOption(
  condition: boolean,
  option: ConfigOption<unknown>,
  value: number,
  expectation: string,
): void {
  if (!condition) {
    throw new IllegalArgumentError(
      `Configuration '${option.key}' has the value '${value}': expected ${expectation}.`,
    );
  }
}
