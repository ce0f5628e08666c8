import { ManualClock } from '../../core/clock.js';
import { JobID } from '../../core/ids.js';
import type { ExecutionAttemptID } from '../../core/ids.js';
import { CheckpointCoordinatorConfiguration } from '../../jobgraph/checkpointing-settings.js';
import type { CheckpointCoordinatorConfigurationBuilder } from '../../jobgraph/checkpointing-settings.js';
import { CheckpointCoordinator } from '../checkpoint-coordinator.js';
import { DefaultCheckpointStatsTracker } from '../checkpoint-stats-tracker.js';
import { CheckpointException } from '../checkpoint-types.js';
import type { CheckpointFailureReason } from '../checkpoint-types.js';
import { StandaloneCompletedCheckpointStore } from '../completed-checkpoint-store.js';
import { InMemoryCheckpointStorage } from './in-memory-checkpoint-storage.js';
import type { InMemoryCheckpointStorageOptions } from './in-memory-checkpoint-storage.js';
import {
  TestingCheckpointPlanCalculator,
  flushPromises,
  testingMetrics,
  testingTaskState,
  testingVertex,
} from './testing-checkpoint-tasks.js';
import type { TestingVertex } from './testing-checkpoint-tasks.js';

/** What a coordinator test changes from the defaults. */
export interface CoordinatorHarnessOptions {
  /** Adjusts the configuration (defaults: Flink's, periodic interval 1000 ms). */
  readonly configure?: (
    builder: CheckpointCoordinatorConfigurationBuilder,
  ) => CheckpointCoordinatorConfigurationBuilder;
  readonly storage?: InMemoryCheckpointStorageOptions;
  /** Checkpoints the store keeps. Default 1. */
  readonly maxRetained?: number;
  /** Default 1000. */
  readonly maxQueuedRequests?: number;
}

/**
 * A CheckpointCoordinator over a two-vertex job (source ×2 → map+sink chain ×1) with a ManualClock
 * as clock and executor, an InMemoryCheckpointStorage and recording task handles.
 */
export function coordinatorHarness(options: CoordinatorHarnessOptions = {}) {
  const clock = new ManualClock(1_000_000);
  const jobId = JobID.generate();
  const source = testingVertex('source', 2);
  const sink = testingVertex('sink', 1, ['map', 'sink']);
  const calculator = new TestingCheckpointPlanCalculator([source, sink]);
  const storage = new InMemoryCheckpointStorage({ savepointDirectory: '/savepoints', ...options.storage });
  const store = new StandaloneCompletedCheckpointStore(options.maxRetained ?? 1);
  const statsTracker = new DefaultCheckpointStatsTracker();
  const failures: { cause: Error; failingTask: ExecutionAttemptID | undefined }[] = [];
  const builder = CheckpointCoordinatorConfiguration.builder().setCheckpointInterval(1000);
  const configuration = (options.configure?.(builder) ?? builder).build();
  const coordinator = new CheckpointCoordinator({
    jobId,
    configuration,
    planCalculator: calculator,
    storage,
    completedCheckpointStore: store,
    statsTracker,
    failJob: (cause, failingTask) => failures.push({ cause, failingTask }),
    clock,
    executor: clock,
    random: () => 0,
    ...(options.maxQueuedRequests !== undefined ? { maxQueuedRequests: options.maxQueuedRequests } : {}),
  });

  /** Every task of `vertex` acknowledges `checkpointId` with `stateSize` bytes per operator. */
  const ackVertex = (vertex: TestingVertex, checkpointId: number, stateSize = 10): void => {
    for (const task of vertex.tasks) {
      coordinator.receiveAcknowledgeMessage(
        task.attemptId,
        checkpointId,
        testingMetrics({ stateSize, syncDurationMs: 1, asyncDurationMs: 2 }),
        testingTaskState(vertex, task.subtaskIndex, stateSize),
      );
    }
  };

  return {
    clock,
    jobId,
    source,
    sink,
    calculator,
    storage,
    store,
    statsTracker,
    failures,
    coordinator,
    ackVertex,
    /** All tasks acknowledge `checkpointId`, then promise chains settle. */
    async ackAll(checkpointId: number, stateSize = 10): Promise<void> {
      ackVertex(source, checkpointId, stateSize);
      ackVertex(sink, checkpointId, stateSize);
      await flushPromises();
    },
    /** Moves the clock and lets what it started settle. */
    async advance(ms: number): Promise<void> {
      clock.advance(ms);
      await flushPromises();
    },
  };
}

/** The failure reason `promise` rejects with (fails when it resolves or rejects otherwise). */
export async function rejectionReason(promise: Promise<unknown>): Promise<CheckpointFailureReason> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CheckpointException) return error.reason;
    throw error;
  }
  throw new Error('Expected the promise to reject.');
}

/** Captures a promise's outcome without leaving a rejection unhandled. */
export function settle<T>(promise: Promise<T>): { value?: T; error?: unknown; done: boolean } {
  const outcome: { value?: T; error?: unknown; done: boolean } = { done: false };
  promise.then(
    (value) => {
      outcome.value = value;
      outcome.done = true;
    },
    (error: unknown) => {
      outcome.error = error;
      outcome.done = true;
    },
  );
  return outcome;
}
