import { Configuration } from '../core/configuration.js';
import { IllegalArgumentError } from '../core/errors.js';
import { MemorySize } from '../core/memory-size.js';
import { ResourceProfile } from '../core/resource-profile.js';

/** Whether the MiniCluster's components share one RPC service or each get their own. */
export const RpcServiceSharing = {
  SHARED: 'SHARED',
  DEDICATED: 'DEDICATED',
} as const;
export type RpcServiceSharing = (typeof RpcServiceSharing)[keyof typeof RpcServiceSharing];

/**
 * How a MiniCluster is set up (Flink's MiniClusterConfiguration): number of TaskExecutors (default
 * 1), slots per TaskExecutor (default 1), the cluster configuration, and RPC service sharing
 * (default SHARED).
 */
export class MiniClusterConfiguration {
  private constructor(
    private readonly numTaskManagers: number,
    private readonly numSlotsPerTaskManager: number,
    private readonly configuration: Configuration,
    private readonly rpcServiceSharing: RpcServiceSharing,
    private readonly taskManagerResources: ResourceProfile,
  ) {}

  static newBuilder(): MiniClusterConfigurationBuilder {
    return new MiniClusterConfigurationBuilder();
  }

  /** `new MiniClusterConfiguration.Builder()`, as the seed writes it. */
  static get Builder(): typeof MiniClusterConfigurationBuilder {
    return MiniClusterConfigurationBuilder;
  }

  /** @internal used by the builder */
  static of(
    numTaskManagers: number,
    numSlotsPerTaskManager: number,
    configuration: Configuration,
    rpcServiceSharing: RpcServiceSharing,
    taskManagerResources: ResourceProfile,
  ): MiniClusterConfiguration {
    return new MiniClusterConfiguration(
      numTaskManagers,
      numSlotsPerTaskManager,
      configuration,
      rpcServiceSharing,
      taskManagerResources,
    );
  }

  getNumTaskManagers(): number {
    return this.numTaskManagers;
  }
  getNumSlotsPerTaskManager(): number {
    return this.numSlotsPerTaskManager;
  }
  getConfiguration(): Configuration {
    return this.configuration;
  }
  getRpcServiceSharing(): RpcServiceSharing {
    return this.rpcServiceSharing;
  }
  getTaskManagerResources(): ResourceProfile {
    return this.taskManagerResources;
  }
}

export class MiniClusterConfigurationBuilder {
  private numTaskManagers = 1;
  private numSlotsPerTaskManager = 1;
  private configuration = new Configuration();
  private rpcServiceSharing: RpcServiceSharing = RpcServiceSharing.SHARED;
  private taskManagerResources = ResourceProfile.fromResources(
    1,
    MemorySize.parse('512mb'),
    MemorySize.ZERO,
    MemorySize.parse('128mb'),
    MemorySize.parse('64mb'),
  );

  setNumTaskManagers(numTaskManagers: number): this {
    this.numTaskManagers = numTaskManagers;
    return this;
  }
  setNumSlotsPerTaskManager(numSlotsPerTaskManager: number): this {
    this.numSlotsPerTaskManager = numSlotsPerTaskManager;
    return this;
  }
  setConfiguration(configuration: Configuration): this {
    this.configuration = new Configuration(configuration);
    return this;
  }
  setRpcServiceSharing(rpcServiceSharing: RpcServiceSharing): this {
    this.rpcServiceSharing = rpcServiceSharing;
    return this;
  }
  /** Resources of each TaskExecutor, split evenly over its slots. */
  setTaskManagerResources(resources: ResourceProfile): this {
    this.taskManagerResources = resources;
    return this;
  }

  build(): MiniClusterConfiguration {
    if (!Number.isInteger(this.numTaskManagers) || this.numTaskManagers < 0) {
      throw new IllegalArgumentError(`The number of TaskManagers must be >= 0, got ${this.numTaskManagers}.`);
    }
    if (!Number.isInteger(this.numSlotsPerTaskManager) || this.numSlotsPerTaskManager < 1) {
      throw new IllegalArgumentError(
        `The number of slots per TaskManager must be >= 1, got ${this.numSlotsPerTaskManager}.`,
      );
    }
    return MiniClusterConfiguration.of(
      this.numTaskManagers,
      this.numSlotsPerTaskManager,
      this.configuration,
      this.rpcServiceSharing,
      this.taskManagerResources,
    );
  }
}
