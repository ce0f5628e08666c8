import type { Environment } from './environment.js';

/**
 * The code a task runs (Flink's TaskInvokable). `invoke()` does the work and resolves when the
 * task is done; it rejects to fail the task. `cancel()` asks it to stop early: the environment's
 * cancellation signal is aborted at the same time, and readers and writers stop waiting.
 */
export interface TaskInvokable {
  invoke(): Promise<void>;
  cancel(): Promise<void>;
}

/** A class of invokables: constructed with the task's environment, once per attempt. */
export type InvokableClass = new (environment: Environment) => TaskInvokable;

/**
 * Base class for invokables (Flink's AbstractInvokable): keeps the environment and offers the
 * task's configuration and position. Subclasses implement `invoke()`; the default `cancel()`
 * relies on the cancellation signal, which readers and writers already observe.
 */
export abstract class AbstractInvokable implements TaskInvokable {
  constructor(private readonly environment: Environment) {}

  abstract invoke(): Promise<void>;

  cancel(): Promise<void> {
    return Promise.resolve();
  }

  getEnvironment(): Environment {
    return this.environment;
  }

  getIndexInSubtaskGroup(): number {
    return this.environment.getTaskInfo().indexOfThisSubtask;
  }

  getCurrentNumberOfSubtasks(): number {
    return this.environment.getTaskInfo().numberOfParallelSubtasks;
  }

  getTaskConfiguration() {
    return this.environment.getTaskConfiguration();
  }

  getJobConfiguration() {
    return this.environment.getJobConfiguration();
  }

  /** True once the task was asked to stop. Long loops without I/O should check it. */
  isCanceled(): boolean {
    return this.environment.getCancellationSignal().aborted;
  }
}
