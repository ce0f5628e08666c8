import type { KeySelector, StreamOperatorFactory } from './stream-operator.js';

/**
 * How a task handles checkpoint barriers on several input channels (Flink's CheckpointingMode):
 * EXACTLY_ONCE aligns them (a channel that delivered barrier n is blocked until barrier n arrived
 * on every channel); AT_LEAST_ONCE only counts them, so records after a barrier may reach the
 * snapshot and are replayed after a failure.
 */
export const CheckpointingMode = { EXACTLY_ONCE: 'EXACTLY_ONCE', AT_LEAST_ONCE: 'AT_LEAST_ONCE' } as const;
export type CheckpointingMode = (typeof CheckpointingMode)[keyof typeof CheckpointingMode];

/** One operator of a chain: its stable uid (state is keyed by `OperatorID.fromUid(uid)`) and its factory. */
export interface ChainedOperatorConfig {
  readonly uid: string;
  /** Shown in names and messages. */
  readonly name: string;
  readonly factory: StreamOperatorFactory<unknown, unknown>;
}

/** One output of a chain's tail, in the order of the task's writers (the vertex's produced data sets). */
export interface ChainOutputConfig {
  /**
   * Set on a keyBy edge: the tail emits `[key, record]` pairs, which the edge's hash partitioner
   * routes by field 0 and the keyed consumer unwraps. Unset: records go out as they are.
   */
  readonly keySelector?: KeySelector<unknown, unknown>;
}

/**
 * What a StreamTask runs (Flink's StreamConfig of a chain): the chained operators, head first; whether
 * the head is keyed (it reads `[key, record]` pairs from a keyBy edge and gets a keyed state
 * backend); the tail's outputs; and how barriers are handled.
 */
export interface StreamChainConfig {
  readonly operators: readonly ChainedOperatorConfig[];
  /** Default false. */
  readonly keyedInput?: boolean;
  /** One per writer of the task. Default none (a sink chain). */
  readonly outputs?: readonly ChainOutputConfig[];
  /** Default EXACTLY_ONCE. */
  readonly checkpointingMode?: CheckpointingMode;
}
