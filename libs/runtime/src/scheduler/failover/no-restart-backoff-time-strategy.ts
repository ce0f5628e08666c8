import type {
  RestartBackoffTimeStrategy,
  RestartBackoffTimeStrategyFactory,
} from './restart-backoff-time-strategy.js';

/** Never restarts: the first failure fails the job (`restart-strategy.type: none`). */
export class NoRestartBackoffTimeStrategy implements RestartBackoffTimeStrategy {
  static readonly INSTANCE = new NoRestartBackoffTimeStrategy();

  private constructor() {}

  canRestart(): boolean {
    return false;
  }

  getBackoffTime(): number {
    return 0;
  }

  notifyFailure(): boolean {
    return true;
  }

  toString(): string {
    return 'NoRestartBackoffTimeStrategy';
  }
}

/** Hands out the stateless {@link NoRestartBackoffTimeStrategy}. */
export class NoRestartBackoffTimeStrategyFactory implements RestartBackoffTimeStrategyFactory {
  static readonly INSTANCE = new NoRestartBackoffTimeStrategyFactory();

  private constructor() {}

  create(): RestartBackoffTimeStrategy {
    return NoRestartBackoffTimeStrategy.INSTANCE;
  }

  describe(): string {
    return NoRestartBackoffTimeStrategy.INSTANCE.toString();
  }

  toString(): string {
    return this.describe();
  }
}
