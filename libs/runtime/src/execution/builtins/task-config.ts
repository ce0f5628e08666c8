import type { ConfigOption, Configuration } from '../../core/configuration.js';
import { IllegalArgumentError } from '../../core/errors.js';
import type { Accumulator, AccumulatorRegistry } from '../accumulators.js';

/**
 * A built-in invokable's task configuration is missing a required key or holds a value out of
 * range (Flink's IllegalConfigurationException). Carries the key and the invokable that read it.
 */
export class InvalidTaskConfigurationError extends IllegalArgumentError {
  constructor(
    readonly key: string,
    readonly invokableName: string,
    message: string,
  ) {
    super(`${invokableName}: configuration '${key}' ${message}`);
  }
}

/** Reads an option that has no default; a missing value is an error naming the key. */
export function getRequired<T>(
  config: Configuration,
  option: ConfigOption<T | undefined>,
  invokableName: string,
): T {
  const value = config.get(option);
  if (value === undefined) {
    throw new InvalidTaskConfigurationError(option.key, invokableName, `is required but not set.`);
  }
  return value;
}

/** Checks that `value` (read from `option`) is at least `min`. */
export function checkAtLeast(
  value: number,
  min: number,
  option: ConfigOption<unknown>,
  invokableName: string,
): number {
  if (value < min) {
    throw new InvalidTaskConfigurationError(
      option.key,
      invokableName,
      `is ${value}: expected at least ${min}.`,
    );
  }
  return value;
}

/** Reads a string option that must not be empty (accumulator names and the like). */
export function getNonEmptyString(
  config: Configuration,
  option: ConfigOption<string>,
  invokableName: string,
): string {
  const value = config.get(option).trim();
  if (value.length === 0) {
    throw new InvalidTaskConfigurationError(option.key, invokableName, `must not be empty.`);
  }
  return value;
}

/**
 * The task's accumulator `name` of class `type`, registered now if the task has none. The name
 * comes from `option`; another kind of accumulator under it is an error naming that key.
 */
export function accumulatorOfType<A extends Accumulator<never, unknown>>(
  registry: AccumulatorRegistry,
  name: string,
  type: new () => A,
  option: ConfigOption<unknown>,
  invokableName: string,
): A {
  const existing: unknown = registry.getAccumulator(name);
  if (existing === undefined) {
    const created = new type();
    registry.addAccumulator(name, created);
    return created;
  }
  if (existing instanceof type) return existing;
  throw new InvalidTaskConfigurationError(
    option.key,
    invokableName,
    `names accumulator '${name}', which this task already has and which is not a ${type.name}.`,
  );
}
