import { EddyError } from '../core/errors.js';
import type { ExecutionVertex } from '../executiongraph/execution-vertex.js';
import type { FailoverStrategy } from './failover/failover-strategy.js';
import type { RestartBackoffTimeStrategy } from './failover/restart-backoff-time-strategy.js';

/** Thrown by user code (or the engine) to fail the job without any restart (Flink's SuppressRestartsException). */
export class SuppressRestartsError extends EddyError {}

/** What to do about a failure (Flink's FailureHandlingResult). */
export type FailureHandlingResult =
  | {
      readonly canRestart: true;
      readonly verticesToRestart: ReadonlySet<ExecutionVertex>;
      readonly restartDelayMs: number;
      readonly error: Error;
      readonly globalFailure: boolean;
    }
  | { readonly canRestart: false; readonly error: Error; readonly globalFailure: boolean };

function isUnrecoverable(error: Error): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.name === SuppressRestartsError.name) return true;
  }
  return false;
}

/**
 * Combines the failover strategy (which tasks) with the restart strategy (whether and when) as
 * Flink's ExecutionFailureHandler does. Unrecoverable errors never restart.
 */
export class ExecutionFailureHandler {
  constructor(
    private readonly failoverStrategy: FailoverStrategy,
    private readonly restartStrategy: RestartBackoffTimeStrategy,
    private readonly allVertices: () => Iterable<ExecutionVertex>,
  ) {}

  getFailureHandlingResult(failed: ExecutionVertex, error: Error): FailureHandlingResult {
    return this.handle(error, false, () => this.failoverStrategy.getTasksNeedingRestart(failed, error));
  }

  getGlobalFailureHandlingResult(error: Error): FailureHandlingResult {
    return this.handle(error, true, () => new Set(this.allVertices()));
  }

  private handle(
    error: Error,
    globalFailure: boolean,
    vertices: () => Set<ExecutionVertex>,
  ): FailureHandlingResult {
    if (isUnrecoverable(error)) return { canRestart: false, error, globalFailure };
    this.restartStrategy.notifyFailure(error);
    if (!this.restartStrategy.canRestart()) return { canRestart: false, error, globalFailure };
    return {
      canRestart: true,
      verticesToRestart: vertices(),
      restartDelayMs: this.restartStrategy.getBackoffTime(),
      error,
      globalFailure,
    };
  }
}
