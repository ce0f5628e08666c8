import type { Configuration } from '../../core/configuration.js';
import { ComponentClosedError } from '../../core/errors.js';
import { ResultPartitionID } from '../../core/ids.js';
import type { JobID } from '../../core/ids.js';
import { ChannelSelectorRecordWriter } from './channel-selector-record-writer.js';
import type { InputGate } from './input-gate.js';
import { compileNetworkConfig } from './network-options.js';
import type { NetworkConfig } from './network-options.js';
import { createChannelSelector } from './partitioners.js';
import { ResultPartition } from './result-partition.js';
import { ResultPartitionManager } from './result-partition-manager.js';
import type {
  InputGateDeploymentDescriptor,
  ResultPartitionDeploymentDescriptor,
  ShuffleEnvironment,
  ShuffleIOOwnerContext,
  TaskResultPartition,
} from './shuffle-environment.js';
import { SingleInputGate } from './single-input-gate.js';

/**
 * The ShuffleEnvironment of a TaskExecutor whose channels hand batches over in memory (Flink's
 * NettyShuffleEnvironment, minus Netty). Partitions are registered under
 * `{ partitionId: descriptor.partitionId, producerId: owner.executionId }` in a
 * ResultPartitionManager — pass one shared manager to every TaskExecutor of a MiniCluster so that
 * channels connect across them. Input gates read `consumedSubpartitionIndex` of every partition in
 * `inputChannels`. The environment tracks the partitions it created: releasing a job's partitions
 * or closing the environment touches only those, even with a shared manager.
 *
 * Configuration: `taskmanager.network.batch-size` (512), `taskmanager.network.memory.buffers-per-channel`
 * (2), `execution.buffer-timeout` (100 ms), `taskmanager.network.request-backoff.max` (10 s).
 */
export class LocalShuffleEnvironment implements ShuffleEnvironment {
  readonly config: NetworkConfig;
  readonly partitionManager: ResultPartitionManager;
  private readonly partitions = new Map<string, ResultPartition>();
  private closed = false;

  constructor(configuration: Configuration, partitionManager?: ResultPartitionManager) {
    this.config = compileNetworkConfig(configuration);
    this.partitionManager = partitionManager ?? new ResultPartitionManager();
  }

  createResultPartitions(
    owner: ShuffleIOOwnerContext,
    descriptors: readonly ResultPartitionDeploymentDescriptor[],
  ): TaskResultPartition[] {
    this.checkOpen();
    const created: ResultPartition[] = [];
    try {
      return descriptors.map((descriptor) => {
        const partitionId: ResultPartitionID = {
          partitionId: descriptor.partitionId,
          producerId: owner.executionId,
        };
        const partition = new ResultPartition({
          partitionId,
          jobId: owner.jobId,
          partitionType: descriptor.partitionType,
          numberOfSubpartitions: descriptor.numberOfSubpartitions,
          buffersPerChannel: this.config.buffersPerChannel,
          owningTaskName: owner.taskName,
        });
        const selector = createChannelSelector(
          descriptor.partitioner,
          descriptor.numberOfSubpartitions,
          owner.subtaskIndex,
          descriptor.consumerMaxParallelism,
        );
        const writer = new ChannelSelectorRecordWriter<unknown>(
          partition,
          selector,
          this.config,
          owner.ioMetrics,
        );
        this.partitionManager.registerResultPartition(partition);
        created.push(partition);
        const key = ResultPartitionID.key(partitionId);
        this.partitions.set(key, partition);
        partition.onRelease(() => {
          if (this.partitions.get(key) === partition) this.partitions.delete(key);
        });
        return {
          partitionId,
          writer,
          finish: () => {
            writer.finish();
          },
          release: (cause?: Error) => {
            writer.close();
            partition.release(cause);
          },
        };
      });
    } catch (error) {
      for (const partition of created) partition.release(error);
      throw error;
    }
  }

  createInputGates(
    owner: ShuffleIOOwnerContext,
    descriptors: readonly InputGateDeploymentDescriptor[],
  ): InputGate[] {
    this.checkOpen();
    return descriptors.map(
      (descriptor) =>
        new SingleInputGate({
          owningTaskName: owner.taskName,
          partitionIds: descriptor.inputChannels,
          subpartitionIndex: descriptor.consumedSubpartitionIndex,
          partitionManager: this.partitionManager,
          requestTimeoutMs: this.config.requestBackoffMaxMs,
        }),
    );
  }

  releasePartitions(partitionIds: readonly ResultPartitionID[]): void {
    for (const partitionId of partitionIds)
      this.partitions.get(ResultPartitionID.key(partitionId))?.release();
  }

  releasePartitionsOfJob(jobId: JobID): void {
    for (const partition of [...this.partitions.values()]) {
      if (partition.jobId === jobId) partition.release();
    }
  }

  getNumberOfPartitions(): number {
    return this.partitions.size;
  }

  /** Releases every partition created here; the (possibly shared) manager stays usable. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const cause = new ComponentClosedError('The shuffle environment was closed.');
    for (const partition of [...this.partitions.values()]) partition.release(cause);
  }

  private checkOpen(): void {
    if (this.closed) throw new ComponentClosedError('The shuffle environment is closed.');
  }
}
