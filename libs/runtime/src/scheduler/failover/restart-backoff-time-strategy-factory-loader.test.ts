import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { Configuration } from '../../core/configuration.js';
import { IllegalArgumentError } from '../../core/errors.js';
import { ExponentialDelayRestartBackoffTimeStrategyFactory } from './exponential-delay-restart-backoff-time-strategy.js';
import { FailureRateRestartBackoffTimeStrategyFactory } from './failure-rate-restart-backoff-time-strategy.js';
import { FixedDelayRestartBackoffTimeStrategyFactory } from './fixed-delay-restart-backoff-time-strategy.js';
import { NoRestartBackoffTimeStrategyFactory } from './no-restart-backoff-time-strategy.js';
import { createRestartBackoffTimeStrategyFactory } from './restart-backoff-time-strategy-factory-loader.js';

const empty = () => new Configuration();

describe('createRestartBackoffTimeStrategyFactory', () => {
  it('defaults to exponential-delay with default parameters when checkpointing is enabled', () => {
    const factory = createRestartBackoffTimeStrategyFactory(empty(), empty(), true);
    expect(factory).toBeInstanceOf(ExponentialDelayRestartBackoffTimeStrategyFactory);
    expect(factory.describe()).toBe(
      'ExponentialDelayRestartBackoffTimeStrategy(initialBackoffMS=1000, maxBackoffMS=60000, backoffMultiplier=1.5, ' +
        'resetBackoffThresholdMS=3600000, jitterFactor=0.1, attemptsBeforeResetBackoff=Infinity)',
    );
  });

  it('defaults to no restart when checkpointing is disabled', () => {
    expect(createRestartBackoffTimeStrategyFactory(empty(), empty(), false)).toBe(
      NoRestartBackoffTimeStrategyFactory.INSTANCE,
    );
  });

  it('uses the cluster setting when the job sets none', () => {
    const cluster = new Configuration({
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.fixed-delay.attempts': 3,
    });
    const factory = createRestartBackoffTimeStrategyFactory(empty(), cluster, true);
    expect(factory).toBeInstanceOf(FixedDelayRestartBackoffTimeStrategyFactory);
    expect(factory.describe()).toBe(
      'FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=3, backoffTimeMS=1000)',
    );
  });

  it('prefers the job setting over the cluster setting, reading parameters from the job configuration', () => {
    const cluster = new Configuration({
      'restart-strategy.type': 'fixed-delay',
      'restart-strategy.failure-rate.max-failures-per-interval': 7,
    });
    const job = new Configuration({
      'restart-strategy.type': 'FailureRate',
      'restart-strategy.failure-rate.delay': '5 s',
    });
    const factory = createRestartBackoffTimeStrategyFactory(job, cluster, false);
    expect(factory).toBeInstanceOf(FailureRateRestartBackoffTimeStrategyFactory);
    expect(factory.describe()).toBe(
      'FailureRateRestartBackoffTimeStrategy(failuresIntervalMS=60000, backoffTimeMS=5000, maxFailuresPerInterval=1)',
    );
  });

  it('lets a job switch restarts off although the cluster enables them', () => {
    const cluster = new Configuration({ 'restart-strategy.type': 'exponential-delay' });
    const job = new Configuration({ 'restart-strategy.type': 'disable' });
    expect(createRestartBackoffTimeStrategyFactory(job, cluster, true)).toBe(
      NoRestartBackoffTimeStrategyFactory.INSTANCE,
    );
  });

  it.each([
    ['none', NoRestartBackoffTimeStrategyFactory],
    ['off', NoRestartBackoffTimeStrategyFactory],
    ['disable', NoRestartBackoffTimeStrategyFactory],
    ['fixed-delay', FixedDelayRestartBackoffTimeStrategyFactory],
    ['fixeddelay', FixedDelayRestartBackoffTimeStrategyFactory],
    ['failure-rate', FailureRateRestartBackoffTimeStrategyFactory],
    ['failurerate', FailureRateRestartBackoffTimeStrategyFactory],
    ['exponential-delay', ExponentialDelayRestartBackoffTimeStrategyFactory],
    ['ExponentialDelay', ExponentialDelayRestartBackoffTimeStrategyFactory],
  ] as const)('maps %s to its factory', (type, factoryClass) => {
    const job = new Configuration({ 'restart-strategy.type': type });
    expect(createRestartBackoffTimeStrategyFactory(job, empty(), true)).toBeInstanceOf(factoryClass);
  });

  it('rejects an unknown type, naming the value and the accepted ones', () => {
    const job = new Configuration({ 'restart-strategy.type': 'sometimes' });
    const load = () => createRestartBackoffTimeStrategyFactory(job, empty(), true);
    expect(load).toThrow(IllegalArgumentError);
    expect(load).toThrow(/'sometimes'.*none, off, disable, fixed-delay.*exponentialdelay/);
  });

  it('hands its clock to the strategies it creates', () => {
    const clock = new ManualClock();
    const job = new Configuration({
      'restart-strategy.type': 'exponential-delay',
      'restart-strategy.exponential-delay.jitter-factor': 0,
    });
    const restartStrategy = createRestartBackoffTimeStrategyFactory(job, empty(), false, clock).create();
    restartStrategy.notifyFailure(new Error('expected test failure'));
    clock.advance(250);
    expect(restartStrategy.getBackoffTime()).toBe(750);
  });
});
