import { IllegalArgumentError } from '../core/errors.js';
import type { JobVertexID } from '../core/ids.js';

/** What happens to externalized checkpoints when a job ends (Flink's CheckpointRetentionPolicy). */
export const CheckpointRetentionPolicy = {
  NEVER_RETAIN_AFTER_TERMINATION: 'NEVER_RETAIN_AFTER_TERMINATION',
  RETAIN_ON_CANCELLATION: 'RETAIN_ON_CANCELLATION',
  RETAIN_ON_FAILURE: 'RETAIN_ON_FAILURE',
} as const;
export type CheckpointRetentionPolicy =
  (typeof CheckpointRetentionPolicy)[keyof typeof CheckpointRetentionPolicy];

/** A periodic interval of this value means periodic checkpoints are disabled (Flink's Long.MAX_VALUE). */
export const CHECKPOINTING_DISABLED_INTERVAL = Number.MAX_SAFE_INTEGER;
/** Flink's lower bound for interval and timeout. */
export const MINIMAL_CHECKPOINT_TIME = 10;

export interface CheckpointCoordinatorConfigurationJson {
  readonly checkpointInterval: number;
  readonly checkpointTimeout: number;
  readonly minPauseBetweenCheckpoints: number;
  readonly maxConcurrentCheckpoints: number;
  readonly checkpointRetentionPolicy: CheckpointRetentionPolicy;
  readonly exactlyOnce: boolean;
  readonly unalignedCheckpointsEnabled: boolean;
  readonly tolerableCheckpointFailureNumber: number;
}

/**
 * How a job's checkpoints are taken, with Flink's defaults: periodic checkpoints off, timeout
 * 10 min, min pause 0, 1 concurrent checkpoint, exactly-once, aligned, 0 tolerable failures,
 * checkpoints not retained after the job ends.
 */
export class CheckpointCoordinatorConfiguration {
  private constructor(private readonly json: CheckpointCoordinatorConfigurationJson) {}

  /** `new CheckpointCoordinatorConfiguration.Builder()`, as the seed writes it. */
  static get Builder(): typeof CheckpointCoordinatorConfigurationBuilder {
    return CheckpointCoordinatorConfigurationBuilder;
  }

  static builder(): CheckpointCoordinatorConfigurationBuilder {
    return new CheckpointCoordinatorConfigurationBuilder();
  }

  static fromJson(json: CheckpointCoordinatorConfigurationJson): CheckpointCoordinatorConfiguration {
    const b = new CheckpointCoordinatorConfigurationBuilder()
      .setCheckpointInterval(json.checkpointInterval)
      .setCheckpointTimeout(json.checkpointTimeout)
      .setMinPauseBetweenCheckpoints(json.minPauseBetweenCheckpoints)
      .setMaxConcurrentCheckpoints(json.maxConcurrentCheckpoints)
      .setCheckpointRetentionPolicy(json.checkpointRetentionPolicy)
      .setExactlyOnce(json.exactlyOnce)
      .setUnalignedCheckpointsEnabled(json.unalignedCheckpointsEnabled)
      .setTolerableCheckpointFailureNumber(json.tolerableCheckpointFailureNumber);
    return b.build();
  }

  /** @internal used by the builder after validation */
  static of(json: CheckpointCoordinatorConfigurationJson): CheckpointCoordinatorConfiguration {
    return new CheckpointCoordinatorConfiguration(json);
  }

  getCheckpointInterval(): number {
    return this.json.checkpointInterval;
  }
  isCheckpointingEnabled(): boolean {
    return this.json.checkpointInterval > 0 && this.json.checkpointInterval < CHECKPOINTING_DISABLED_INTERVAL;
  }
  getCheckpointTimeout(): number {
    return this.json.checkpointTimeout;
  }
  getMinPauseBetweenCheckpoints(): number {
    return this.json.minPauseBetweenCheckpoints;
  }
  getMaxConcurrentCheckpoints(): number {
    return this.json.maxConcurrentCheckpoints;
  }
  getCheckpointRetentionPolicy(): CheckpointRetentionPolicy {
    return this.json.checkpointRetentionPolicy;
  }
  isExactlyOnce(): boolean {
    return this.json.exactlyOnce;
  }
  isUnalignedCheckpointsEnabled(): boolean {
    return this.json.unalignedCheckpointsEnabled;
  }
  getTolerableCheckpointFailureNumber(): number {
    return this.json.tolerableCheckpointFailureNumber;
  }
  toJson(): CheckpointCoordinatorConfigurationJson {
    return { ...this.json };
  }
}

export class CheckpointCoordinatorConfigurationBuilder {
  private checkpointInterval = CHECKPOINTING_DISABLED_INTERVAL;
  private checkpointTimeout = 600_000;
  private minPauseBetweenCheckpoints = 0;
  private maxConcurrentCheckpoints = 1;
  private checkpointRetentionPolicy: CheckpointRetentionPolicy =
    CheckpointRetentionPolicy.NEVER_RETAIN_AFTER_TERMINATION;
  private exactlyOnce = true;
  private unalignedCheckpointsEnabled = false;
  private tolerableCheckpointFailureNumber = 0;

  setCheckpointInterval(ms: number): this {
    this.checkpointInterval = ms;
    return this;
  }
  setCheckpointTimeout(ms: number): this {
    this.checkpointTimeout = ms;
    return this;
  }
  setMinPauseBetweenCheckpoints(ms: number): this {
    this.minPauseBetweenCheckpoints = ms;
    return this;
  }
  setMaxConcurrentCheckpoints(n: number): this {
    this.maxConcurrentCheckpoints = n;
    return this;
  }
  setCheckpointRetentionPolicy(policy: CheckpointRetentionPolicy): this {
    this.checkpointRetentionPolicy = policy;
    return this;
  }
  setExactlyOnce(exactlyOnce: boolean): this {
    this.exactlyOnce = exactlyOnce;
    return this;
  }
  setUnalignedCheckpointsEnabled(enabled: boolean): this {
    this.unalignedCheckpointsEnabled = enabled;
    return this;
  }
  setTolerableCheckpointFailureNumber(n: number): this {
    this.tolerableCheckpointFailureNumber = n;
    return this;
  }

  /** Validates as Flink does and builds; throws naming the first bad value. */
  build(): CheckpointCoordinatorConfiguration {
    if (!(this.checkpointInterval >= MINIMAL_CHECKPOINT_TIME)) {
      throw new IllegalArgumentError(
        `The checkpoint interval must be at least ${MINIMAL_CHECKPOINT_TIME} ms.`,
      );
    }
    if (!(this.checkpointTimeout >= MINIMAL_CHECKPOINT_TIME)) {
      throw new IllegalArgumentError(
        `The checkpoint timeout must be at least ${MINIMAL_CHECKPOINT_TIME} ms.`,
      );
    }
    if (!(this.minPauseBetweenCheckpoints >= 0))
      throw new IllegalArgumentError('The min pause must be >= 0 ms.');
    if (!Number.isInteger(this.maxConcurrentCheckpoints) || this.maxConcurrentCheckpoints < 1) {
      throw new IllegalArgumentError('The max number of concurrent checkpoints must be at least 1.');
    }
    if (
      !Number.isInteger(this.tolerableCheckpointFailureNumber) ||
      this.tolerableCheckpointFailureNumber < 0
    ) {
      throw new IllegalArgumentError('The tolerable checkpoint failure number must be >= 0.');
    }
    if (!Object.values(CheckpointRetentionPolicy).includes(this.checkpointRetentionPolicy)) {
      throw new IllegalArgumentError(
        `Unknown checkpoint retention policy '${this.checkpointRetentionPolicy}'.`,
      );
    }
    return CheckpointCoordinatorConfiguration.of({
      checkpointInterval: this.checkpointInterval,
      checkpointTimeout: this.checkpointTimeout,
      minPauseBetweenCheckpoints: this.minPauseBetweenCheckpoints,
      maxConcurrentCheckpoints: this.maxConcurrentCheckpoints,
      checkpointRetentionPolicy: this.checkpointRetentionPolicy,
      exactlyOnce: this.exactlyOnce,
      unalignedCheckpointsEnabled: this.unalignedCheckpointsEnabled,
      tolerableCheckpointFailureNumber: this.tolerableCheckpointFailureNumber,
    });
  }
}

export interface JobCheckpointingSettingsJson {
  readonly verticesToTrigger: readonly JobVertexID[];
  readonly verticesToAcknowledge: readonly JobVertexID[];
  readonly verticesToConfirm: readonly JobVertexID[];
  readonly coordinatorConfiguration: CheckpointCoordinatorConfigurationJson;
  /** Name of the state backend; null for the cluster's default. */
  readonly stateBackend: string | null;
}

/** A job's checkpoint settings, as the seed constructs them (Flink's JobCheckpointingSettings). */
export class JobCheckpointingSettings {
  constructor(
    private readonly verticesToTrigger: readonly JobVertexID[],
    private readonly verticesToAcknowledge: readonly JobVertexID[],
    private readonly verticesToConfirm: readonly JobVertexID[],
    private readonly coordinatorConfiguration: CheckpointCoordinatorConfiguration,
    private readonly stateBackend: string | null = null,
  ) {}

  static fromJson(json: JobCheckpointingSettingsJson): JobCheckpointingSettings {
    return new JobCheckpointingSettings(
      json.verticesToTrigger,
      json.verticesToAcknowledge,
      json.verticesToConfirm,
      CheckpointCoordinatorConfiguration.fromJson(json.coordinatorConfiguration),
      json.stateBackend,
    );
  }

  getVerticesToTrigger(): readonly JobVertexID[] {
    return this.verticesToTrigger;
  }
  getVerticesToAcknowledge(): readonly JobVertexID[] {
    return this.verticesToAcknowledge;
  }
  getVerticesToConfirm(): readonly JobVertexID[] {
    return this.verticesToConfirm;
  }
  getCheckpointCoordinatorConfiguration(): CheckpointCoordinatorConfiguration {
    return this.coordinatorConfiguration;
  }
  getDefaultStateBackend(): string | null {
    return this.stateBackend;
  }
  toJson(): JobCheckpointingSettingsJson {
    return {
      verticesToTrigger: [...this.verticesToTrigger],
      verticesToAcknowledge: [...this.verticesToAcknowledge],
      verticesToConfirm: [...this.verticesToConfirm],
      coordinatorConfiguration: this.coordinatorConfiguration.toJson(),
      stateBackend: this.stateBackend,
    };
  }
}
