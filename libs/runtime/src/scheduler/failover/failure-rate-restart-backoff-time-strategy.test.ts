import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { Configuration } from '../../core/configuration.js';
import { IllegalArgumentError } from '../../core/errors.js';
import { FailureRateRestartBackoffTimeStrategy } from './failure-rate-restart-backoff-time-strategy.js';
import type { RestartBackoffTimeStrategy } from './restart-backoff-time-strategy.js';

const failure = new Error('expected test failure');

function strategy(
  clock: ManualClock,
  maxFailuresPerInterval: number,
  failuresIntervalMs: number,
  backoffTimeMs = 0,
): RestartBackoffTimeStrategy {
  return new FailureRateRestartBackoffTimeStrategy(
    { maxFailuresPerInterval, failuresIntervalMs, backoffTimeMs },
    clock,
  );
}

describe('FailureRateRestartBackoffTimeStrategy', () => {
  it('testManyFailuresWithinRate: failures spread beyond the interval keep restarting', () => {
    const clock = new ManualClock();
    const intervalMs = 1;
    const restartStrategy = strategy(clock, 1, intervalMs);
    for (let failuresLeft = 3; failuresLeft > 0; failuresLeft--) {
      expect(restartStrategy.notifyFailure(failure)).toBe(true);
      expect(restartStrategy.canRestart()).toBe(true);
      clock.advance(intervalMs + 1);
    }
    expect(restartStrategy.canRestart()).toBe(true);
  });

  it('testFailuresExceedingRate: more than max failures within the interval stop restarts', () => {
    const numFailures = 3;
    const restartStrategy = strategy(new ManualClock(), numFailures, 10_000);
    for (let failuresLeft = numFailures; failuresLeft > 0; failuresLeft--) {
      restartStrategy.notifyFailure(failure);
      expect(restartStrategy.canRestart()).toBe(true);
    }
    restartStrategy.notifyFailure(failure);
    expect(restartStrategy.canRestart()).toBe(false);
  });

  it('measures a sliding window: old failures stop counting once the interval has passed', () => {
    const clock = new ManualClock();
    const restartStrategy = strategy(clock, 2, 1000);
    restartStrategy.notifyFailure(failure); // t=0
    clock.advance(600);
    restartStrategy.notifyFailure(failure); // t=600
    clock.advance(300);
    restartStrategy.notifyFailure(failure); // t=900: 3 failures within 1 s
    expect(restartStrategy.canRestart()).toBe(false);

    clock.advance(100); // t=1000: the failure at 0 is exactly one interval old, still inside
    expect(restartStrategy.canRestart()).toBe(false);
    clock.advance(1); // t=1001: it left the window
    expect(restartStrategy.canRestart()).toBe(true);

    restartStrategy.notifyFailure(failure); // t=1001: window holds 600, 900, 1001
    expect(restartStrategy.canRestart()).toBe(false);
  });

  it('testBackoffTime', () => {
    expect(strategy(new ManualClock(), 1, 1, 10_000).getBackoffTime()).toBe(10_000);
  });

  it('is created from the configuration with the defaults: 1 failure per 1 min, 1 s delay', () => {
    const clock = new ManualClock();
    const factory = FailureRateRestartBackoffTimeStrategy.createFactory(new Configuration(), clock);
    expect(factory.options).toEqual({
      maxFailuresPerInterval: 1,
      failuresIntervalMs: 60_000,
      backoffTimeMs: 1000,
    });
    expect(factory.describe()).toBe(
      'FailureRateRestartBackoffTimeStrategy(failuresIntervalMS=60000, backoffTimeMS=1000, maxFailuresPerInterval=1)',
    );

    const restartStrategy = factory.create();
    restartStrategy.notifyFailure(failure);
    expect(restartStrategy.canRestart()).toBe(true);
    clock.advance(59_999);
    restartStrategy.notifyFailure(failure);
    expect(restartStrategy.canRestart()).toBe(false);
  });

  it('rejects invalid values, naming the key', () => {
    const zeroFailures = new Configuration({ 'restart-strategy.failure-rate.max-failures-per-interval': 0 });
    expect(() => FailureRateRestartBackoffTimeStrategy.createFactory(zeroFailures)).toThrow(
      IllegalArgumentError,
    );
    expect(() => FailureRateRestartBackoffTimeStrategy.createFactory(zeroFailures)).toThrow(
      /restart-strategy\.failure-rate\.max-failures-per-interval/,
    );
    const zeroInterval = new Configuration({ 'restart-strategy.failure-rate.failure-rate-interval': '0 s' });
    expect(() => FailureRateRestartBackoffTimeStrategy.createFactory(zeroInterval)).toThrow(
      /restart-strategy\.failure-rate\.failure-rate-interval/,
    );
    const negativeDelay = new Configuration({ 'restart-strategy.failure-rate.delay': -1 });
    expect(() => FailureRateRestartBackoffTimeStrategy.createFactory(negativeDelay)).toThrow(
      /restart-strategy\.failure-rate\.delay/,
    );
  });
});
