import { IllegalArgumentError } from '../core/errors.js';
import type { JobStatus } from '../executiongraph/job-status.js';

/** The first checkpoint ID of a job (Flink's CheckpointIDCounter.INITIAL_CHECKPOINT_ID). */
export const INITIAL_CHECKPOINT_ID = 1;

/**
 * Hands out increasing checkpoint IDs (Flink's CheckpointIDCounter). Asynchronous because a highly
 * available counter lives in a shared store.
 */
export interface CheckpointIDCounter {
  /** The next ID, then advances the counter. */
  getAndIncrement(): Promise<number>;
  /** The next ID, without advancing. */
  get(): Promise<number>;
  /** Sets the next ID (after restoring checkpoint n, the next ID is n + 1). */
  setCount(newId: number): Promise<void>;
  /** The job ended in `jobStatus`; a shared counter is removed when the job is globally terminal. */
  shutdown(jobStatus: JobStatus): Promise<void>;
}

/** An in-memory counter starting at {@link INITIAL_CHECKPOINT_ID} (Flink's StandaloneCheckpointIDCounter). */
export class StandaloneCheckpointIDCounter implements CheckpointIDCounter {
  private next = INITIAL_CHECKPOINT_ID;

  getAndIncrement(): Promise<number> {
    return Promise.resolve(this.next++);
  }

  get(): Promise<number> {
    return Promise.resolve(this.next);
  }

  setCount(newId: number): Promise<void> {
    if (!Number.isInteger(newId) || newId < INITIAL_CHECKPOINT_ID) {
      throw new IllegalArgumentError(
        `A checkpoint ID must be an integer >= ${INITIAL_CHECKPOINT_ID}: ${newId}.`,
      );
    }
    this.next = newId;
    return Promise.resolve();
  }

  shutdown(_jobStatus: JobStatus): Promise<void> {
    return Promise.resolve();
  }
}
