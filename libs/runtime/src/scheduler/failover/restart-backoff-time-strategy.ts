/**
 * Decides whether a failed job may restart and how long to wait first (Flink's
 * RestartBackoffTimeStrategy). The failure handler calls {@link notifyFailure} for every failure,
 * then {@link canRestart}, then {@link getBackoffTime} to schedule the restart. Instances are
 * stateful and belong to one job.
 */
export interface RestartBackoffTimeStrategy {
  /** Whether the job may be restarted after the failures notified so far. */
  canRestart(): boolean;

  /** Milliseconds to wait before restarting. */
  getBackoffTime(): number;

  /**
   * Records a failure. Returns true if it counts as a new restart attempt, false if it was merged
   * into an attempt already pending (only exponential-delay merges failures).
   */
  notifyFailure(cause: Error): boolean;

  /** The strategy and its parameters, for logs. */
  toString(): string;
}

/** Creates a fresh {@link RestartBackoffTimeStrategy} for a job (Flink's RestartBackoffTimeStrategy.Factory). */
export interface RestartBackoffTimeStrategyFactory {
  create(): RestartBackoffTimeStrategy;

  /**
   * The strategy and its parameters, for logs, in Flink's form, e.g.
   * `FixedDelayRestartBackoffTimeStrategy(maxNumberRestartAttempts=3, backoffTimeMS=1000)`.
   */
  describe(): string;
}
