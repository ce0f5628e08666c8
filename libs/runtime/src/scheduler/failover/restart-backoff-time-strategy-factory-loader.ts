import { SystemClock } from '../../core/clock.js';
import type { Clock } from '../../core/clock.js';
import { Configuration } from '../../core/configuration.js';
import { ExponentialDelayRestartBackoffTimeStrategy } from './exponential-delay-restart-backoff-time-strategy.js';
import type { RandomSource } from './exponential-delay-restart-backoff-time-strategy.js';
import { FailureRateRestartBackoffTimeStrategy } from './failure-rate-restart-backoff-time-strategy.js';
import { FixedDelayRestartBackoffTimeStrategy } from './fixed-delay-restart-backoff-time-strategy.js';
import { NoRestartBackoffTimeStrategyFactory } from './no-restart-backoff-time-strategy.js';
import type { RestartBackoffTimeStrategyFactory } from './restart-backoff-time-strategy.js';
import { parseRestartStrategyType, RESTART_STRATEGY } from './restart-strategy-options.js';

/**
 * Chooses the restart strategy of a job (Flink's RestartBackoffTimeStrategyFactoryLoader), in order:
 *
 * 1. `restart-strategy.type` in the job configuration, with its parameters read from the job
 *    configuration;
 * 2. else `restart-strategy.type` in the cluster configuration, with its parameters read from there;
 * 3. else `exponential-delay` with default parameters if checkpointing is enabled, `none` otherwise
 *    (Flink ≥ 1.19, FLINK-33738).
 *
 * Throws IllegalArgumentError for an unknown type or an invalid parameter, naming the key. `clock`
 * (default: the system clock) measures failure-rate windows and exponential backoffs; `random`
 * (default Math.random) draws the exponential-delay jitter.
 */
export function createRestartBackoffTimeStrategyFactory(
  jobConfiguration: Configuration,
  clusterConfiguration: Configuration,
  isCheckpointingEnabled: boolean,
  clock: Clock = SystemClock,
  random: RandomSource = Math.random,
): RestartBackoffTimeStrategyFactory {
  return (
    fromConfiguration(jobConfiguration, clock, random) ??
    fromConfiguration(clusterConfiguration, clock, random) ??
    defaultFactory(isCheckpointingEnabled, clock, random)
  );
}

function fromConfiguration(
  configuration: Configuration,
  clock: Clock,
  random: RandomSource,
): RestartBackoffTimeStrategyFactory | undefined {
  const name = configuration.getOptional(RESTART_STRATEGY);
  if (name === undefined) return undefined;
  const type = parseRestartStrategyType(name);
  switch (type) {
    case 'none':
      return NoRestartBackoffTimeStrategyFactory.INSTANCE;
    case 'fixed-delay':
      return FixedDelayRestartBackoffTimeStrategy.createFactory(configuration);
    case 'failure-rate':
      return FailureRateRestartBackoffTimeStrategy.createFactory(configuration, clock);
    case 'exponential-delay':
      return ExponentialDelayRestartBackoffTimeStrategy.createFactory(configuration, clock, random);
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}

function defaultFactory(
  isCheckpointingEnabled: boolean,
  clock: Clock,
  random: RandomSource,
): RestartBackoffTimeStrategyFactory {
  return isCheckpointingEnabled
    ? ExponentialDelayRestartBackoffTimeStrategy.createFactory(new Configuration(), clock, random)
    : NoRestartBackoffTimeStrategyFactory.INSTANCE;
}
