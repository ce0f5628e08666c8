import { IllegalArgumentError } from '../../core/errors.js';
import type { PartitionerSpec } from '../../jobgraph/partitioner-spec.js';
import { KeyGroupRangeAssignment } from '../../state/key-group-range-assignment.js';

/**
 * Chooses the subpartition (channel) of each record (Flink's ChannelSelector). A broadcast
 * selector selects no single channel: the writer sends every record to all of them.
 */
export interface ChannelSelector<T = unknown> {
  /** The channel of `record`, in [0, numberOfChannels). */
  selectChannel(record: T): number;
  isBroadcast(): boolean;
}

/** Everything to channel 0 (Flink's ForwardPartitioner): one producer feeds one consumer. */
export class ForwardChannelSelector implements ChannelSelector {
  selectChannel(): number {
    return 0;
  }

  isBroadcast(): boolean {
    return false;
  }
}

/**
 * Round robin over the channels (Flink's RebalancePartitioner, and RescalePartitioner over the
 * channels of a pointwise edge). Starts at `subtaskIndex % numberOfChannels` instead of Flink's
 * random channel, so that results are deterministic while producers still spread their first
 * records over different consumers.
 */
export class RoundRobinChannelSelector implements ChannelSelector {
  private next: number;

  constructor(
    private readonly numberOfChannels: number,
    subtaskIndex: number,
  ) {
    checkChannels(numberOfChannels);
    this.next = subtaskIndex % numberOfChannels;
  }

  selectChannel(): number {
    const channel = this.next;
    if (++this.next === this.numberOfChannels) this.next = 0;
    return channel;
  }

  isBroadcast(): boolean {
    return false;
  }
}

/** Every record to every channel (Flink's BroadcastPartitioner); the writer broadcasts instead of selecting. */
export class BroadcastChannelSelector implements ChannelSelector {
  selectChannel(): number {
    throw new IllegalArgumentError('A broadcast partitioner selects all channels: use broadcastEmit.');
  }

  isBroadcast(): boolean {
    return true;
  }
}

/**
 * By key group (Flink's KeyGroupStreamPartitioner): key group =
 * `KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism)`, channel =
 * `computeOperatorIndexForKeyGroup(maxParallelism, numberOfChannels, keyGroup)`, so a key always
 * reaches the consumer subtask that owns its key group in keyed state. The key is
 * `record[keyField]` of an array or object record, or the whole record when no field is given.
 */
export class KeyGroupChannelSelector<T = unknown> implements ChannelSelector<T> {
  constructor(
    private readonly numberOfChannels: number,
    private readonly maxParallelism: number,
    private readonly keyField?: number | string,
  ) {
    checkChannels(numberOfChannels);
    if (!Number.isSafeInteger(maxParallelism) || maxParallelism < numberOfChannels) {
      throw new IllegalArgumentError(
        `The consumer max parallelism ${maxParallelism} must be a whole number >= the number of channels ${numberOfChannels}.`,
      );
    }
  }

  selectChannel(record: T): number {
    const key = this.keyField === undefined ? record : extractField(record, this.keyField);
    const keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(key, this.maxParallelism);
    return KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup(
      this.maxParallelism,
      this.numberOfChannels,
      keyGroup,
    );
  }

  isBroadcast(): boolean {
    return false;
  }
}

function extractField(record: unknown, field: number | string): unknown {
  if (typeof record !== 'object' || record === null) {
    throw new IllegalArgumentError(
      `The hash partitioner reads field '${field}' of each record, but a record is ${record === null ? 'null' : typeof record}.`,
    );
  }
  return (record as Record<number | string, unknown>)[field];
}

function checkChannels(numberOfChannels: number): void {
  if (!Number.isSafeInteger(numberOfChannels) || numberOfChannels < 1) {
    throw new IllegalArgumentError(
      `The number of channels must be a whole number >= 1, got ${numberOfChannels}.`,
    );
  }
}

/**
 * The channel selector for an edge's partitioner. `forward` over more than one channel behaves as
 * `rescale`; `consumerMaxParallelism` is the number of key groups `hash` uses.
 */
export function createChannelSelector<T = unknown>(
  spec: PartitionerSpec,
  numberOfChannels: number,
  subtaskIndex: number,
  consumerMaxParallelism: number,
): ChannelSelector<T> {
  checkChannels(numberOfChannels);
  switch (spec.type) {
    case 'forward':
      return numberOfChannels === 1
        ? new ForwardChannelSelector()
        : new RoundRobinChannelSelector(numberOfChannels, subtaskIndex);
    case 'rescale':
    case 'rebalance':
      return new RoundRobinChannelSelector(numberOfChannels, subtaskIndex);
    case 'broadcast':
      return new BroadcastChannelSelector();
    case 'hash':
      return new KeyGroupChannelSelector<T>(numberOfChannels, consumerMaxParallelism, spec.keyField);
  }
}
