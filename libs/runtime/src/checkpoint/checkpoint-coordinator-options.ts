import { SystemClock, SystemScheduledExecutor } from '../core/clock.js';
import type { Clock, ScheduledExecutor } from '../core/clock.js';
import { IllegalArgumentError } from '../core/errors.js';
import type { JobID } from '../core/ids.js';
import type { CheckpointCoordinatorConfiguration } from '../jobgraph/checkpointing-settings.js';
import type { FailJobCallback } from './checkpoint-failure-manager.js';
import { StandaloneCheckpointIDCounter } from './checkpoint-id-counter.js';
import type { CheckpointIDCounter } from './checkpoint-id-counter.js';
import type { CheckpointPlanCalculator } from './checkpoint-plan.js';
import { DEFAULT_MAX_QUEUED_CHECKPOINT_REQUESTS } from './checkpoint-request-decider.js';
import { DefaultCheckpointStatsTracker } from './checkpoint-stats-tracker.js';
import type { CheckpointStatsTracker } from './checkpoint-stats-tracker.js';
import { StandaloneCompletedCheckpointStore } from './completed-checkpoint-store.js';
import type { CompletedCheckpointStore } from './completed-checkpoint-store.js';
import type { CheckpointStorage } from './storage/checkpoint-storage.js';

/** What a {@link CheckpointCoordinator} works with. */
export interface CheckpointCoordinatorOptions {
  readonly jobId: JobID;
  /**
   * Interval, timeout, min pause, max concurrent checkpoints, tolerable failures and retention,
   * with Flink's defaults (see CheckpointCoordinatorConfiguration).
   */
  readonly configuration: CheckpointCoordinatorConfiguration;
  /** The tasks of each checkpoint, and the job's vertices. */
  readonly planCalculator: CheckpointPlanCalculator;
  /** Where snapshots are written. */
  readonly storage: CheckpointStorage;
  /** Fails the job when the checkpoint failure tolerance is exceeded (or a sync savepoint is declined). */
  readonly failJob: FailJobCallback;
  /** Default: a StandaloneCompletedCheckpointStore retaining 1 checkpoint. */
  readonly completedCheckpointStore?: CompletedCheckpointStore;
  /** Default: a StandaloneCheckpointIDCounter starting at 1. */
  readonly checkpointIdCounter?: CheckpointIDCounter;
  /** Default: a DefaultCheckpointStatsTracker with a history of 10. */
  readonly statsTracker?: CheckpointStatsTracker;
  /** Default SystemClock. Tests pass a ManualClock as clock and executor. */
  readonly clock?: Clock;
  /** Runs the periodic trigger and the timeouts. Default SystemScheduledExecutor. */
  readonly executor?: ScheduledExecutor;
  /**
   * Picks the initial delay of the periodic scheduler, uniformly in [min pause, interval] as in
   * Flink: returns a number in [0, 1). Default Math.random.
   */
  readonly random?: () => number;
  /** Trigger requests that may wait. Default 1000. */
  readonly maxQueuedRequests?: number;
}

/** The options with every default applied, validated once. */
export interface CompiledCheckpointCoordinatorOptions {
  readonly jobId: JobID;
  readonly configuration: CheckpointCoordinatorConfiguration;
  readonly planCalculator: CheckpointPlanCalculator;
  readonly storage: CheckpointStorage;
  readonly failJob: FailJobCallback;
  readonly completedCheckpointStore: CompletedCheckpointStore;
  readonly checkpointIdCounter: CheckpointIDCounter;
  readonly statsTracker: CheckpointStatsTracker;
  readonly clock: Clock;
  readonly executor: ScheduledExecutor;
  readonly random: () => number;
  readonly maxQueuedRequests: number;
}

export function compileCheckpointCoordinatorOptions(
  options: CheckpointCoordinatorOptions,
): CompiledCheckpointCoordinatorOptions {
  const maxQueuedRequests = options.maxQueuedRequests ?? DEFAULT_MAX_QUEUED_CHECKPOINT_REQUESTS;
  if (!Number.isInteger(maxQueuedRequests) || maxQueuedRequests < 1) {
    throw new IllegalArgumentError('maxQueuedRequests must be an integer >= 1.');
  }
  return {
    jobId: options.jobId,
    configuration: options.configuration,
    planCalculator: options.planCalculator,
    storage: options.storage,
    failJob: options.failJob,
    completedCheckpointStore: options.completedCheckpointStore ?? new StandaloneCompletedCheckpointStore(),
    checkpointIdCounter: options.checkpointIdCounter ?? new StandaloneCheckpointIDCounter(),
    statsTracker: options.statsTracker ?? new DefaultCheckpointStatsTracker(),
    clock: options.clock ?? SystemClock,
    executor: options.executor ?? SystemScheduledExecutor,
    random: options.random ?? Math.random,
    maxQueuedRequests,
  };
}
