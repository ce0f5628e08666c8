import { ConfigOptions } from '../core/configuration.js';

/** `slot.request.timeout`: a slot request that is not fulfilled within this fails (Flink: 5 min). */
export const SLOT_REQUEST_TIMEOUT = ConfigOptions.key('slot.request.timeout')
  .durationType()
  .defaultValue(300_000)
  .withDescription('How long a JobMaster waits for a requested slot before the request fails.');

/** `parallelism.default`: the parallelism of vertices that do not set one (Flink: 1). */
export const DEFAULT_PARALLELISM = ConfigOptions.key('parallelism.default')
  .intType()
  .defaultValue(1)
  .withDescription('Parallelism of job vertices that do not set one.');

/** `jobmanager.execution.attempts-history-size`: prior attempts kept per subtask (Flink: 16). */
export const ATTEMPTS_HISTORY_SIZE = ConfigOptions.key('jobmanager.execution.attempts-history-size')
  .intType()
  .defaultValue(16)
  .withDescription('The number of earlier execution attempts kept per subtask.');
