import { Configuration } from '../../core/configuration.js';
import type { ConfigValue } from '../../core/configuration.js';
import { IllegalArgumentError, IllegalStateError } from '../../core/errors.js';
import { AllocationID, ExecutionAttemptID, ExecutionVertexID, JobID, JobVertexID } from '../../core/ids.js';
import type { InputGate } from '../../io/network/input-gate.js';
import type { RecordWriter } from '../../io/network/record-writer.js';
import { AccumulatorRegistry } from '../accumulators.js';
import type { TaskStateManager } from '../checkpointable.js';
import type { Environment, TaskInfo, TaskIOMetrics } from '../environment.js';
import type { InvokableClass, TaskInvokable } from '../invokable.js';
import { TestingInputGate } from './testing-input-gate.js';
import { TestingRecordWriter } from './testing-record-writer.js';
import { TestingTaskStateManager } from './testing-task-state-manager.js';

export * from './testing-input-gate.js';
export * from './testing-record-writer.js';
export * from './testing-task-state-manager.js';

/** What a {@link TestingEnvironment} holds. Every field is optional. */
export interface TestingEnvironmentOptions {
  /** Default `'test-task'`. */
  readonly taskName?: string;
  /** Default 0. */
  readonly subtaskIndex?: number;
  /** Default 1. */
  readonly parallelism?: number;
  /** Default 0. */
  readonly attemptNumber?: number;
  readonly taskConfiguration?: Configuration | Record<string, ConfigValue>;
  readonly jobConfiguration?: Configuration | Record<string, ConfigValue>;
  /** Default none. */
  readonly inputGates?: readonly InputGate[];
  /** Writers, or how many TestingRecordWriters to create. Default 1 TestingRecordWriter. */
  readonly writers?: readonly RecordWriter[] | number;
  /** Default: a TestingTaskStateManager with nothing to restore. */
  readonly taskStateManager?: TaskStateManager;
}

/**
 * An Environment for running one invokable in a unit test, without a Task or a TaskExecutor: fixed
 * IDs and task info, in-memory gates and writers (by default one {@link TestingRecordWriter}), a
 * real AccumulatorRegistry and I/O metrics. {@link cancel} does what a Task's cancellation does to
 * the environment: aborts the signal, closes the gates and releases the testing writers.
 */
export class TestingEnvironment implements Environment {
  private readonly jobId = JobID.generate();
  private readonly vertexId = JobVertexID.generate();
  private readonly executionId: ExecutionAttemptID;
  private readonly taskInfo: TaskInfo;
  private readonly taskConfiguration: Configuration;
  private readonly jobConfiguration: Configuration;
  private readonly inputGates: readonly InputGate[];
  private readonly writers: readonly RecordWriter[];
  private readonly accumulators = new AccumulatorRegistry();
  private readonly ioMetrics: TaskIOMetrics = {
    numRecordsIn: 0,
    numRecordsOut: 0,
    numBuffersIn: 0,
    numBuffersOut: 0,
  };
  private readonly cancellation = new AbortController();
  private readonly taskStateManager: TaskStateManager;

  constructor(options: TestingEnvironmentOptions = {}) {
    this.taskStateManager = options.taskStateManager ?? new TestingTaskStateManager();
    const subtaskIndex = options.subtaskIndex ?? 0;
    const parallelism = options.parallelism ?? 1;
    const attemptNumber = options.attemptNumber ?? 0;
    if (subtaskIndex < 0 || subtaskIndex >= parallelism) {
      throw new IllegalArgumentError(`Subtask index ${subtaskIndex} is outside parallelism ${parallelism}.`);
    }
    const taskName = options.taskName ?? 'test-task';
    this.executionId = ExecutionAttemptID.generate(
      ExecutionVertexID.of(this.vertexId, subtaskIndex),
      attemptNumber,
    );
    this.taskInfo = {
      taskName,
      taskNameWithSubtasks: `${taskName} (${subtaskIndex + 1}/${parallelism})#${attemptNumber}`,
      indexOfThisSubtask: subtaskIndex,
      numberOfParallelSubtasks: parallelism,
      maxNumberOfParallelSubtasks: Math.max(128, parallelism),
      attemptNumber,
      allocationId: AllocationID.generate(),
    };
    this.taskConfiguration = new Configuration(options.taskConfiguration);
    this.jobConfiguration = new Configuration(options.jobConfiguration);
    this.inputGates = options.inputGates ?? [];
    const writers = options.writers ?? 1;
    this.writers =
      typeof writers === 'number'
        ? Array.from({ length: writers }, () => new TestingRecordWriter({ ioMetrics: this.ioMetrics }))
        : writers;
  }

  /** Runs a fresh instance of `invokable` in this environment. */
  invoke(invokable: InvokableClass): Promise<void> {
    return this.instantiate(invokable).invoke();
  }

  instantiate(invokable: InvokableClass): TaskInvokable {
    return new invokable(this);
  }

  /** Aborts the cancellation signal, closes the gates and releases the testing writers. */
  cancel(): void {
    this.cancellation.abort(new IllegalStateError('The task was cancelled.'));
    for (const gate of this.inputGates) gate.close();
    for (const writer of this.writers) {
      if (writer instanceof TestingRecordWriter)
        writer.release(new IllegalStateError('The task was cancelled.'));
    }
  }

  /** Writer `index`, which must be a TestingRecordWriter. */
  getTestingWriter<T = unknown>(index = 0): TestingRecordWriter<T> {
    const writer = this.getWriter<T>(index);
    if (!(writer instanceof TestingRecordWriter)) {
      throw new IllegalArgumentError(`Writer ${index} is not a TestingRecordWriter.`);
    }
    return writer as TestingRecordWriter<T>;
  }

  /** Input gate `index`, which must be a TestingInputGate. */
  getTestingInputGate(index = 0): TestingInputGate {
    const gate = this.getInputGate(index);
    if (!(gate instanceof TestingInputGate)) {
      throw new IllegalArgumentError(`Input gate ${index} is not a TestingInputGate.`);
    }
    return gate;
  }

  getJobID(): JobID {
    return this.jobId;
  }
  getJobVertexId(): JobVertexID {
    return this.vertexId;
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
    if (gate === undefined) throw new IllegalArgumentError(`There is no input gate ${index}.`);
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
    if (writer === undefined) throw new IllegalArgumentError(`There is no writer ${index}.`);
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
    return this.cancellation.signal;
  }

  getTaskStateManager(): TaskStateManager {
    return this.taskStateManager;
  }
}
