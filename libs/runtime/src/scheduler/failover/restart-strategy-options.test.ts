import { describe, expect, it } from 'vitest';
import { Configuration } from '../../core/configuration.js';
import { IllegalArgumentError } from '../../core/errors.js';
import {
  ACCEPTED_RESTART_STRATEGY_VALUES,
  parseRestartStrategyType,
  RESTART_STRATEGY,
  RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
  RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER,
  RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
  RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR,
  RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
  RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
  RESTART_STRATEGY_FAILURE_RATE_DELAY,
  RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL,
  RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL,
  RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS,
  RESTART_STRATEGY_FIXED_DELAY_DELAY,
} from './restart-strategy-options.js';

describe('restart strategy options', () => {
  it.each([
    [RESTART_STRATEGY, 'restart-strategy.type', undefined],
    [RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 'restart-strategy.fixed-delay.attempts', 1],
    [RESTART_STRATEGY_FIXED_DELAY_DELAY, 'restart-strategy.fixed-delay.delay', 1000],
    [
      RESTART_STRATEGY_FAILURE_RATE_MAX_FAILURES_PER_INTERVAL,
      'restart-strategy.failure-rate.max-failures-per-interval',
      1,
    ],
    [
      RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL,
      'restart-strategy.failure-rate.failure-rate-interval',
      60_000,
    ],
    [RESTART_STRATEGY_FAILURE_RATE_DELAY, 'restart-strategy.failure-rate.delay', 1000],
    [
      RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
      'restart-strategy.exponential-delay.initial-backoff',
      1000,
    ],
    [
      RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
      'restart-strategy.exponential-delay.max-backoff',
      60_000,
    ],
    [
      RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER,
      'restart-strategy.exponential-delay.backoff-multiplier',
      1.5,
    ],
    [
      RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD,
      'restart-strategy.exponential-delay.reset-backoff-threshold',
      3_600_000,
    ],
    [
      RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR,
      'restart-strategy.exponential-delay.jitter-factor',
      0.1,
    ],
    [
      RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS,
      'restart-strategy.exponential-delay.attempts-before-reset-backoff',
      Number.POSITIVE_INFINITY,
    ],
  ] as const)('%s has its key and Flink default', (option, key, defaultValue) => {
    expect(option.key).toBe(key);
    expect(option.defaultValue).toBe(defaultValue);
    expect(option.description).not.toBe('');
  });

  it('reads the defaults from an empty configuration', () => {
    const empty = new Configuration();
    expect(empty.get(RESTART_STRATEGY)).toBeUndefined();
    expect(empty.get(RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS)).toBe(1);
    expect(empty.get(RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER)).toBe(1.5);
    expect(empty.get(RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS)).toBe(Number.POSITIVE_INFINITY);
  });

  it('reads durations in Flink notation', () => {
    const configuration = new Configuration({
      'restart-strategy.fixed-delay.delay': '20 s',
      'restart-strategy.failure-rate.failure-rate-interval': '5 min',
    });
    expect(configuration.get(RESTART_STRATEGY_FIXED_DELAY_DELAY)).toBe(20_000);
    expect(configuration.get(RESTART_STRATEGY_FAILURE_RATE_FAILURE_RATE_INTERVAL)).toBe(300_000);
  });

  it('still reads the type from the deprecated key restart-strategy', () => {
    expect(new Configuration({ 'restart-strategy': 'fixed-delay' }).get(RESTART_STRATEGY)).toBe(
      'fixed-delay',
    );
  });

  it('parses attempts-before-reset-backoff as a whole number or Infinity', () => {
    const option = RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS;
    expect(option.parse('10')).toBe(10);
    expect(option.parse(2147483647)).toBe(2147483647);
    expect(option.parse('Infinity')).toBe(Number.POSITIVE_INFINITY);
    expect(option.parse(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(() => option.parse('1.5')).toThrow(/attempts-before-reset-backoff/);
    expect(new Configuration().set(option, Number.POSITIVE_INFINITY).get(option)).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it.each([
    ['none', 'none'],
    ['off', 'none'],
    ['disable', 'none'],
    ['fixed-delay', 'fixed-delay'],
    ['fixeddelay', 'fixed-delay'],
    ['failure-rate', 'failure-rate'],
    ['failurerate', 'failure-rate'],
    ['exponential-delay', 'exponential-delay'],
    ['exponentialdelay', 'exponential-delay'],
    ['Fixed-Delay', 'fixed-delay'],
    ['  EXPONENTIALDELAY ', 'exponential-delay'],
    ['OFF', 'none'],
  ] as const)('accepts the type %j as %s', (value, type) => {
    expect(parseRestartStrategyType(value)).toBe(type);
  });

  it('lists every accepted value', () => {
    expect([...ACCEPTED_RESTART_STRATEGY_VALUES].sort()).toEqual(
      [
        'none',
        'off',
        'disable',
        'fixed-delay',
        'fixeddelay',
        'failure-rate',
        'failurerate',
        'exponential-delay',
        'exponentialdelay',
      ].sort(),
    );
  });

  it('rejects an unknown type, naming the value and the accepted ones', () => {
    expect(() => parseRestartStrategyType('fixed_delay')).toThrow(IllegalArgumentError);
    expect(() => parseRestartStrategyType('fixed_delay')).toThrow(
      "Unknown restart strategy 'fixed_delay' in 'restart-strategy.type'. Accepted values are: none, off, disable, " +
        'fixed-delay, fixeddelay, failure-rate, failurerate, exponential-delay, exponentialdelay.',
    );
  });
});
