import { describe, expect, it } from 'vitest';
import { Configuration } from '../../core/configuration.js';
import { IllegalArgumentError } from '../../core/errors.js';
import {
  FixedDelayRestartBackoffTimeStrategy,
  FixedDelayRestartBackoffTimeStrategyFactory,
} from './fixed-delay-restart-backoff-time-strategy.js';
import { NoRestartBackoffTimeStrategyFactory } from './no-restart-backoff-time-strategy.js';
import type { RestartBackoffTimeStrategy } from './restart-backoff-time-strategy.js';

const failure = new Error('expected test failure');

describe('FixedDelayRestartBackoffTimeStrategy', () => {
  it.each([0, 1, 3, 10])('allows exactly %i restarts', (maxAttempts) => {
    const strategy: RestartBackoffTimeStrategy = new FixedDelayRestartBackoffTimeStrategy({
      maxNumberRestartAttempts: maxAttempts,
      backoffTimeMs: 0,
    });
    for (let i = 0; i < maxAttempts; i++) {
      expect(strategy.notifyFailure(failure)).toBe(true);
      expect(strategy.canRestart()).toBe(true);
    }
    expect(strategy.notifyFailure(failure)).toBe(true);
    expect(strategy.canRestart()).toBe(false);
  });

  it('always waits the configured delay', () => {
    const strategy: RestartBackoffTimeStrategy = new FixedDelayRestartBackoffTimeStrategy({
      maxNumberRestartAttempts: 1,
      backoffTimeMs: 1234,
    });
    expect(strategy.getBackoffTime()).toBe(1234);
    strategy.notifyFailure(failure);
    expect(strategy.getBackoffTime()).toBe(1234);
  });

  it('is created from the configuration with the defaults: 1 attempt, 1 s', () => {
    const factory = FixedDelayRestartBackoffTimeStrategy.createFactory(new Configuration());
    expect(factory.options).toEqual({ maxNumberRestartAttempts: 1, backoffTimeMs: 1000 });
    expect(factory.describe()).toBe(
      'FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=1, backoffTimeMS=1000)',
    );
  });

  it('reads the configured attempts and delay', () => {
    const factory = FixedDelayRestartBackoffTimeStrategy.createFactory(
      new Configuration({
        'restart-strategy.fixed-delay.attempts': '3',
        'restart-strategy.fixed-delay.delay': '10 s',
      }),
    );
    expect(factory.describe()).toBe(
      'FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=3, backoffTimeMS=10000)',
    );
    expect(factory.create().toString()).toBe(factory.describe());
  });

  it('gives each job a fresh attempt counter', () => {
    const factory = new FixedDelayRestartBackoffTimeStrategyFactory({
      maxNumberRestartAttempts: 1,
      backoffTimeMs: 0,
    });
    const first = factory.create();
    first.notifyFailure(failure);
    first.notifyFailure(failure);
    expect(first.canRestart()).toBe(false);
    const second = factory.create();
    second.notifyFailure(failure);
    expect(second.canRestart()).toBe(true);
  });

  it('rejects negative attempts, naming the key', () => {
    const configuration = new Configuration({ 'restart-strategy.fixed-delay.attempts': -1 });
    expect(() => FixedDelayRestartBackoffTimeStrategy.createFactory(configuration)).toThrow(
      IllegalArgumentError,
    );
    expect(() => FixedDelayRestartBackoffTimeStrategy.createFactory(configuration)).toThrow(
      /'restart-strategy\.fixed-delay\.attempts'.*'-1'/,
    );
    expect(
      () => new FixedDelayRestartBackoffTimeStrategy({ maxNumberRestartAttempts: 1, backoffTimeMs: -5 }),
    ).toThrow(/restart-strategy\.fixed-delay\.delay/);
  });
});

describe('NoRestartBackoffTimeStrategy', () => {
  it('never restarts', () => {
    const strategy = NoRestartBackoffTimeStrategyFactory.INSTANCE.create();
    expect(strategy.notifyFailure(failure)).toBe(true);
    expect(strategy.canRestart()).toBe(false);
    expect(NoRestartBackoffTimeStrategyFactory.INSTANCE.describe()).toBe('NoRestartBackoffTimeStrategy');
  });
});
