import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { Configuration } from '../../core/configuration.js';
import { IllegalArgumentError, IllegalStateError } from '../../core/errors.js';
import { ExponentialDelayRestartBackoffTimeStrategy } from './exponential-delay-restart-backoff-time-strategy.js';
import type {
  ExponentialDelayRestartOptions,
  RandomSource,
} from './exponential-delay-restart-backoff-time-strategy.js';
import type { RestartBackoffTimeStrategy } from './restart-backoff-time-strategy.js';

const failure = new Error('expected test failure');

function strategy(
  clock: ManualClock,
  options: Partial<ExponentialDelayRestartOptions>,
  random?: RandomSource,
): RestartBackoffTimeStrategy {
  return new ExponentialDelayRestartBackoffTimeStrategy(
    {
      initialBackoffMs: 1,
      maxBackoffMs: 10,
      backoffMultiplier: 2,
      resetBackoffThresholdMs: Number.MAX_SAFE_INTEGER,
      jitterFactor: 0,
      attemptsBeforeResetBackoff: Number.POSITIVE_INFINITY,
      ...options,
    },
    clock,
    random,
  );
}

/** Notifies one failure after the previous backoff elapsed and returns the new backoff. */
function failAfterBackoff(
  clock: ManualClock,
  restartStrategy: RestartBackoffTimeStrategy,
  first: boolean,
): number {
  if (!first) clock.advance(restartStrategy.getBackoffTime() + 1);
  expect(restartStrategy.notifyFailure(failure)).toBe(true);
  return restartStrategy.getBackoffTime();
}

function backoffSequence(
  clock: ManualClock,
  restartStrategy: RestartBackoffTimeStrategy,
  count: number,
): number[] {
  return Array.from({ length: count }, (_, i) => failAfterBackoff(clock, restartStrategy, i === 0));
}

describe('ExponentialDelayRestartBackoffTimeStrategy', () => {
  it('with the default options (jitter 0) waits 1 s, 1.5 s, 2.25 s, … capped at 60 s', () => {
    const clock = new ManualClock();
    const configuration = new Configuration({ 'restart-strategy.exponential-delay.jitter-factor': 0 });
    const restartStrategy = ExponentialDelayRestartBackoffTimeStrategy.createFactory(
      configuration,
      clock,
    ).create();
    expect(backoffSequence(clock, restartStrategy, 14)).toEqual([
      1000, 1500, 2250, 3375, 5062, 7593, 11390, 17085, 25628, 38443, 57665, 60_000, 60_000, 60_000,
    ]);
    expect(restartStrategy.canRestart()).toBe(true);
  });

  it('follows the documented example with multiplier 2 and max 10 s: 1, 2, 4, 8, 10, 10 s', () => {
    const clock = new ManualClock();
    const restartStrategy = strategy(clock, { initialBackoffMs: 1000, maxBackoffMs: 10_000 });
    expect(backoffSequence(clock, restartStrategy, 6)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('keeps the third retry of multiplier 2, max 10 s, jitter 0.1 within 3.6–4.4 s', () => {
    const thirdBackoff = (random: RandomSource) => {
      const clock = new ManualClock();
      const options = { initialBackoffMs: 1000, maxBackoffMs: 10_000, jitterFactor: 0.1 };
      return backoffSequence(clock, strategy(clock, options, random), 3)[2];
    };
    expect(thirdBackoff(() => 0)).toBe(3600);
    expect(thirdBackoff(() => 0.5)).toBe(4000);
    expect(thirdBackoff(() => 0.999_999_999)).toBe(4400);

    let seed = 42;
    const seeded: RandomSource = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const backoff = thirdBackoff(seeded);
      expect(backoff).toBeGreaterThanOrEqual(3600);
      expect(backoff).toBeLessThanOrEqual(4400);
      seen.add(backoff!);
    }
    expect(seen.size).toBeGreaterThan(100);
  });

  it('never jitters beyond the max backoff or below the initial backoff', () => {
    for (const random of [() => 0, () => 0.999_999]) {
      const clock = new ManualClock();
      const restartStrategy = strategy(
        clock,
        { initialBackoffMs: 1000, maxBackoffMs: 7000, jitterFactor: 1 },
        random,
      );
      for (const backoff of backoffSequence(clock, restartStrategy, 8)) {
        expect(backoff).toBeGreaterThanOrEqual(1000);
        expect(backoff).toBeLessThanOrEqual(7000);
      }
    }
  });

  it('testMaxAttempts: attempts-before-reset-backoff caps the restarts', () => {
    const maxAttempts = 13;
    const clock = new ManualClock();
    const maxBackoffMs = 3;
    const restartStrategy = strategy(clock, {
      maxBackoffMs,
      backoffMultiplier: 1.2,
      resetBackoffThresholdMs: 10,
      jitterFactor: 0.25,
      attemptsBeforeResetBackoff: maxAttempts,
    });
    for (let i = 0; i <= maxAttempts; i++) {
      expect(restartStrategy.canRestart()).toBe(true);
      expect(restartStrategy.notifyFailure(failure)).toBe(true);
      clock.advance(maxBackoffMs + 1);
    }
    expect(restartStrategy.canRestart()).toBe(false);
  });

  it('merges failures during a pending restart into one attempt that does not grow the backoff', () => {
    const clock = new ManualClock();
    const restartStrategy = strategy(clock, {
      initialBackoffMs: 2,
      maxBackoffMs: 6,
      resetBackoffThresholdMs: 80,
      attemptsBeforeResetBackoff: 3,
    });
    const expectMerged = (expectedBackoffMs: number) => {
      let expectedNewAttempt = true;
      for (let elapsed = 0; elapsed < expectedBackoffMs; elapsed++) {
        for (let i = 0; i < 10; i++) {
          expect(restartStrategy.notifyFailure(failure)).toBe(expectedNewAttempt);
          expectedNewAttempt = false;
          expect(restartStrategy.canRestart()).toBe(true);
          expect(restartStrategy.getBackoffTime()).toBe(expectedBackoffMs - elapsed);
        }
        clock.advance(1);
      }
    };

    expectMerged(2);
    // The failure at the exact due time still belongs to the pending attempt.
    expect(restartStrategy.notifyFailure(failure)).toBe(false);
    clock.advance(1);
    expectMerged(4);
    clock.advance(1);
    expectMerged(6);
    clock.advance(1);
    expect(restartStrategy.notifyFailure(failure)).toBe(true);
    expect(restartStrategy.canRestart()).toBe(false);
  });

  it('resets the backoff and the attempt counter after the job ran for the threshold', () => {
    const clock = new ManualClock();
    const restartStrategy = strategy(clock, {
      initialBackoffMs: 1000,
      maxBackoffMs: 60_000,
      backoffMultiplier: 1.5,
      resetBackoffThresholdMs: 3_600_000,
      attemptsBeforeResetBackoff: 2,
    });
    expect(backoffSequence(clock, restartStrategy, 2)).toEqual([1000, 1500]);

    // One ms short of backoff + threshold since the last failure: still the same series.
    clock.advance(1500 + 3_600_000 - 1);
    expect(restartStrategy.notifyFailure(failure)).toBe(true);
    expect(restartStrategy.getBackoffTime()).toBe(2250);
    expect(restartStrategy.canRestart()).toBe(false);

    clock.advance(2250 + 3_600_000);
    expect(restartStrategy.notifyFailure(failure)).toBe(true);
    expect(restartStrategy.getBackoffTime()).toBe(1000);
    expect(restartStrategy.canRestart()).toBe(true);
    clock.advance(1001);
    expect(restartStrategy.notifyFailure(failure)).toBe(true);
    expect(restartStrategy.getBackoffTime()).toBe(1500);
    expect(restartStrategy.canRestart()).toBe(true);
  });

  it('testResetBackoff (Flink): the reset compares against the end of the pending backoff', () => {
    const clock = new ManualClock();
    const restartStrategy = strategy(clock, {
      maxBackoffMs: 5,
      resetBackoffThresholdMs: 8,
      jitterFactor: 0.25,
    });
    expect(restartStrategy.notifyFailure(failure)).toBe(true);
    clock.advance(8 + restartStrategy.getBackoffTime() - 1);
    expect(restartStrategy.notifyFailure(failure)).toBe(true);
    expect(restartStrategy.getBackoffTime()).toBe(2);
    clock.advance(8 + restartStrategy.getBackoffTime());
    expect(restartStrategy.notifyFailure(failure)).toBe(true);
    expect(restartStrategy.getBackoffTime()).toBe(1);
  });

  it('counts the remaining backoff down with the clock', () => {
    const clock = new ManualClock(5000);
    const restartStrategy = strategy(clock, { initialBackoffMs: 1000, maxBackoffMs: 10_000 });
    restartStrategy.notifyFailure(failure);
    clock.advance(400);
    expect(restartStrategy.getBackoffTime()).toBe(600);
    clock.advance(5000);
    expect(restartStrategy.getBackoffTime()).toBe(0);
  });

  it('asks for a failure before it can tell a backoff', () => {
    expect(() => strategy(new ManualClock(), {}).getBackoffTime()).toThrow(IllegalStateError);
  });

  it('is created from the configuration and describes itself', () => {
    const factory = ExponentialDelayRestartBackoffTimeStrategy.createFactory(
      new Configuration(),
      new ManualClock(),
    );
    expect(factory.options).toEqual({
      initialBackoffMs: 1000,
      maxBackoffMs: 60_000,
      backoffMultiplier: 1.5,
      resetBackoffThresholdMs: 3_600_000,
      jitterFactor: 0.1,
      attemptsBeforeResetBackoff: Number.POSITIVE_INFINITY,
    });
    expect(factory.describe()).toBe(
      'ExponentialDelayRestartBackoffTimeStrategy(initialBackoffMS=1000, maxBackoffMS=60000, backoffMultiplier=1.5, ' +
        'resetBackoffThresholdMS=3600000, jitterFactor=0.1, attemptsBeforeResetBackoff=Infinity)',
    );
    expect(factory.create().toString()).toContain('currentRestartAttempt=0, nextRestartTimestamp=none)');
  });

  it.each([
    ['restart-strategy.exponential-delay.backoff-multiplier', 0.5],
    ['restart-strategy.exponential-delay.jitter-factor', 1.5],
    ['restart-strategy.exponential-delay.jitter-factor', -0.1],
    ['restart-strategy.exponential-delay.attempts-before-reset-backoff', 0],
    ['restart-strategy.exponential-delay.initial-backoff', '2 min'],
    ['restart-strategy.exponential-delay.max-backoff', '500 ms'],
  ])('rejects %s = %s, naming the key', (key, value) => {
    const configuration = new Configuration({ [key]: value });
    const create = () => ExponentialDelayRestartBackoffTimeStrategy.createFactory(configuration);
    expect(create).toThrow(IllegalArgumentError);
    expect(create).toThrow(/restart-strategy\.exponential-delay\./);
  });

  it('accepts a multiplier of 1 (a constant backoff)', () => {
    const clock = new ManualClock();
    const restartStrategy = strategy(clock, {
      initialBackoffMs: 500,
      backoffMultiplier: 1,
      maxBackoffMs: 1000,
    });
    expect(backoffSequence(clock, restartStrategy, 3)).toEqual([500, 500, 500]);
  });
});
