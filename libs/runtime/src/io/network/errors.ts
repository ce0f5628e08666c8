import { EddyError } from '../../core/errors.js';
import { ResultPartitionID } from '../../core/ids.js';

/**
 * A consumer asked for a partition that is not (or no longer) registered where it looked, and it
 * did not appear within `taskmanager.network.request-backoff.max` (Flink's PartitionNotFoundException).
 */
export class PartitionNotFoundError extends EddyError {
  constructor(
    readonly partitionId: ResultPartitionID,
    options?: { cause?: unknown },
  ) {
    super(`Partition ${ResultPartitionID.key(partitionId)} not found.`, options);
  }
}

/**
 * The partition was released while it was being written or read: pending writes and reads fail
 * with this error, carrying the reason of the release as `cause`.
 */
export class PartitionReleasedError extends EddyError {
  constructor(
    readonly partitionId: ResultPartitionID,
    cause?: unknown,
  ) {
    super(
      `Partition ${ResultPartitionID.key(partitionId)} has been released` +
        (cause instanceof Error ? `: ${cause.message}` : '.'),
      cause === undefined ? undefined : { cause },
    );
  }
}
