import { ConfigOptions } from '../../core/configuration.js';
import type { Configuration } from '../../core/configuration.js';
import { IllegalArgumentError } from '../../core/errors.js';

/**
 * Records per in-memory buffer (Eddy-specific; Flink sizes buffers in bytes). A writer hands a
 * subpartition's buffer over when it holds this many records. Default 512; must be >= 1.
 */
export const NETWORK_BATCH_SIZE = ConfigOptions.key('taskmanager.network.batch-size')
  .intType()
  .defaultValue(512)
  .withDescription(
    'Number of records per in-memory network buffer: a writer hands a buffer to its subpartition when it is full.',
  );

/**
 * Full buffers a pipelined subpartition queues before its writer becomes unavailable (Flink's key;
 * here it is the bound of the subpartition's queue). Default 2; must be >= 1.
 */
export const NETWORK_BUFFERS_PER_CHANNEL = ConfigOptions.key('taskmanager.network.memory.buffers-per-channel')
  .intType()
  .defaultValue(2)
  .withDescription(
    'Maximum number of buffers queued per pipelined subpartition before the producer must wait (backpressure).',
  );

/**
 * Flush interval of partially filled buffers, in ms, so that the records of a slow source still
 * arrive. Default 100 ms; 0 hands every record over as soon as it is emitted.
 */
export const BUFFER_TIMEOUT = ConfigOptions.key('execution.buffer-timeout')
  .durationType()
  .defaultValue(100)
  .withDescription(
    'The maximum time a partially filled buffer waits before it is handed over. 0 flushes after every record.',
  );

/**
 * How long a consumer waits for its producer's partition to be registered before it fails with
 * PartitionNotFoundError, in ms. Default 10 s.
 */
export const NETWORK_REQUEST_BACKOFF_MAX = ConfigOptions.key('taskmanager.network.request-backoff.max')
  .durationType()
  .defaultValue(10_000)
  .withDescription(
    'Maximum time an input channel waits for the partition of its producer before it fails with PartitionNotFoundError.',
  );

/** The options of the data exchange between tasks, grouped. */
export const NetworkOptions = {
  BATCH_SIZE: NETWORK_BATCH_SIZE,
  BUFFERS_PER_CHANNEL: NETWORK_BUFFERS_PER_CHANNEL,
  BUFFER_TIMEOUT,
  REQUEST_BACKOFF_MAX: NETWORK_REQUEST_BACKOFF_MAX,
} as const;

/** The validated network settings the channel implementations use. */
export interface NetworkConfig {
  /** Records per buffer (>= 1). */
  readonly batchSize: number;
  /** Bound of a pipelined subpartition's queue, in buffers (>= 1). */
  readonly buffersPerChannel: number;
  /** Flush interval of partial buffers in ms; 0 = hand over every record at once. */
  readonly bufferTimeoutMs: number;
  /** Wait for a producer's partition before PartitionNotFoundError, in ms (>= 0). */
  readonly requestBackoffMaxMs: number;
}

/** Reads and validates the network options once, at the edge. */
export function compileNetworkConfig(conf: Configuration): NetworkConfig {
  const batchSize = conf.get(NETWORK_BATCH_SIZE);
  const buffersPerChannel = conf.get(NETWORK_BUFFERS_PER_CHANNEL);
  const bufferTimeoutMs = conf.get(BUFFER_TIMEOUT);
  const requestBackoffMaxMs = conf.get(NETWORK_REQUEST_BACKOFF_MAX);
  if (batchSize < 1) throw invalid(NETWORK_BATCH_SIZE.key, batchSize, '>= 1');
  if (buffersPerChannel < 1) throw invalid(NETWORK_BUFFERS_PER_CHANNEL.key, buffersPerChannel, '>= 1');
  if (bufferTimeoutMs < 0) throw invalid(BUFFER_TIMEOUT.key, bufferTimeoutMs, '>= 0');
  if (requestBackoffMaxMs < 0) throw invalid(NETWORK_REQUEST_BACKOFF_MAX.key, requestBackoffMaxMs, '>= 0');
  return { batchSize, buffersPerChannel, bufferTimeoutMs, requestBackoffMaxMs };
}

/** The defaults, for components created without a Configuration. */
export const DEFAULT_NETWORK_CONFIG: NetworkConfig = {
  batchSize: NETWORK_BATCH_SIZE.defaultValue,
  buffersPerChannel: NETWORK_BUFFERS_PER_CHANNEL.defaultValue,
  bufferTimeoutMs: BUFFER_TIMEOUT.defaultValue,
  requestBackoffMaxMs: NETWORK_REQUEST_BACKOFF_MAX.defaultValue,
};

function invalid(key: string, value: number, expected: string): IllegalArgumentError {
  return new IllegalArgumentError(`Configuration '${key}' has the value '${value}': expected ${expected}.`);
}
