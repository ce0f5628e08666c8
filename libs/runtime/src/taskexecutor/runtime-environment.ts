import type { Configuration } from '../core/configuration.js';
import { IllegalArgumentError } from '../core/errors.js';
import type { ExecutionAttemptID, JobID, JobVertexID } from '../core/ids.js';
import type { AccumulatorRegistry } from '../execution/accumulators.js';
import type { TaskStateManager } from '../execution/checkpointable.js';
import type { Environment, TaskIOMetrics, TaskInfo } from '../execution/environment.js';
import type { InputGate } from '../io/network/input-gate.js';
import type { RecordWriter } from '../io/network/record-writer.js';

/** The Environment of a task running on a TaskExecutor (Flink's RuntimeEnvironment). */
export class RuntimeEnvironment implements Environment {
  constructor(
    private readonly jobId: JobID,
    private readonly jobVertexId: JobVertexID,
    private readonly executionId: ExecutionAttemptID,
    private readonly taskInfo: TaskInfo,
    private readonly taskConfiguration: Configuration,
    private readonly jobConfiguration: Configuration,
    private readonly inputGates: readonly InputGate[],
    private readonly writers: readonly RecordWriter[],
    private readonly accumulators: AccumulatorRegistry,
    private readonly ioMetrics: TaskIOMetrics,
    private readonly cancellation: AbortSignal,
    private readonly taskStateManager: TaskStateManager,
  ) {}

  getJobID(): JobID {
    return this.jobId;
  }
  getJobVertexId(): JobVertexID {
    return this.jobVertexId;
  }
  getExecutionId(): ExecutionAttemptID {
    return this.executionId;
  }
  getTaskInfo(): TaskInfo {
    return this.taskInfo;
  }
  getTaskConfiguration(): Configuration {
    return this.taskConfiguration;
  }
  getJobConfiguration(): Configuration {
    return this.jobConfiguration;
  }
  getNumberOfInputGates(): number {
    return this.inputGates.length;
  }
  getInputGate(index: number): InputGate {
    const gate = this.inputGates[index];
    if (gate === undefined) {
      throw new IllegalArgumentError(
        `Task '${this.taskInfo.taskName}' has ${this.inputGates.length} input gates, not ${index + 1}.`,
      );
    }
    return gate;
  }
  getAllInputGates(): readonly InputGate[] {
    return this.inputGates;
  }
  getNumberOfWriters(): number {
    return this.writers.length;
  }
  getWriter<T = unknown>(index: number): RecordWriter<T> {
    const writer = this.writers[index];
    if (writer === undefined) {
      throw new IllegalArgumentError(
        `Task '${this.taskInfo.taskName}' has ${this.writers.length} outputs, not ${index + 1}.`,
      );
    }
    return writer;
  }
  getAllWriters(): readonly RecordWriter[] {
    return this.writers;
  }
  getAccumulatorRegistry(): AccumulatorRegistry {
    return this.accumulators;
  }
  getIOMetrics(): TaskIOMetrics {
    return this.ioMetrics;
  }
  getCancellationSignal(): AbortSignal {
    return this.cancellation;
  }
  getTaskStateManager(): TaskStateManager {
    return this.taskStateManager;
  }
}
