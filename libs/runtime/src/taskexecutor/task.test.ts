import { afterEach, describe, expect, it, vi } from 'vitest';

import { ManualClock } from '../core/clock.js';
import { Configuration } from '../core/configuration.js';
import { EddyError, IllegalArgumentError } from '../core/errors.js';
import {
  AllocationID,
  ExecutionAttemptID,
  ExecutionVertexID,
  IntermediateDataSetID,
  IntermediateResultPartitionID,
  JobID,
  JobVertexID,
} from '../core/ids.js';
import type { TaskDeploymentDescriptor } from '../deployment/task-deployment-descriptor.js';
import type { Environment } from '../execution/environment.js';
import { AbstractInvokable } from '../execution/invokable.js';
import type { InvokableClass } from '../execution/invokable.js';
import { LocalShuffleEnvironment } from '../io/network/local-shuffle-environment.js';
import { JobType, ResultPartitionType } from '../jobgraph/enums.js';
import { Task } from './task.js';
import type { TaskOptions } from './task.js';
import type { TaskExecutionState } from './task-execution-state.js';

function descriptor(overrides: Partial<TaskDeploymentDescriptor> = {}): TaskDeploymentDescriptor {
  const jobVertexId = JobVertexID.generate();
  const resultId = IntermediateDataSetID.generate();
  return {
    jobId: JobID.generate(),
    jobName: 'job',
    jobType: JobType.STREAMING,
    executionId: ExecutionAttemptID.generate(ExecutionVertexID.of(jobVertexId, 1), 2),
    allocationId: AllocationID.generate(),
    jobVertexId,
    taskName: 'Map',
    subtaskIndex: 1,
    numberOfSubtasks: 3,
    maxNumberOfSubtasks: 128,
    attemptNumber: 2,
    invokableClassName: 'test',
    taskConfiguration: { 'test.key': 'task value' },
    jobConfiguration: { 'test.key': 'job value' },
    producedPartitions: [
      {
        resultId,
        partitionId: IntermediateResultPartitionID.of(resultId, 1),
        partitionType: ResultPartitionType.PIPELINED_BOUNDED,
        numberOfSubpartitions: 1,
        partitioner: { type: 'forward' },
        consumerMaxParallelism: 128,
      },
    ],
    inputGates: [],
    ...overrides,
  };
}

function newTask(invokable: InvokableClass, tdd = descriptor(), options: TaskOptions = {}) {
  const shuffle = new LocalShuffleEnvironment(new Configuration());
  const reports: TaskExecutionState[] = [];
  const task = new Task(
    tdd,
    invokable,
    shuffle,
    (state) => {
      reports.push(state);
    },
    options,
  );
  return { task, shuffle, reports, states: () => reports.map((report) => report.state) };
}

/** Waits on the cancellation signal, as a task blocked on I/O does. */
class BlockingTask extends AbstractInvokable {
  invoke(): Promise<void> {
    const signal = this.getEnvironment().getCancellationSignal();
    return new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => {
        reject(new EddyError('woken by cancellation'));
      });
    });
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('Task', () => {
  it('starts DEPLOYING and reports INITIALIZING, RUNNING and FINISHED', async () => {
    const { task, states, reports } = newTask(
      class extends AbstractInvokable {
        invoke(): Promise<void> {
          return Promise.resolve();
        }
      },
    );
    expect(task.getExecutionState()).toBe('DEPLOYING');

    await expect(task.start()).resolves.toBe('FINISHED');

    expect(states()).toEqual(['INITIALIZING', 'RUNNING', 'FINISHED']);
    expect(task.getExecutionState()).toBe('FINISHED');
    // Only the terminal report carries counters and accumulators.
    expect(reports[0]).not.toHaveProperty('ioMetrics');
    expect(reports[2]).toHaveProperty('ioMetrics');
    expect(reports[2]).toHaveProperty('accumulators');
  });

  it('gives the invokable an environment describing the attempt', async () => {
    const tdd = descriptor();
    let seen: Environment | undefined;
    const { task } = newTask(
      class extends AbstractInvokable {
        invoke(): Promise<void> {
          seen = this.getEnvironment();
          return Promise.resolve();
        }
      },
      tdd,
    );
    await task.start();

    expect(seen?.getJobID()).toBe(tdd.jobId);
    expect(seen?.getExecutionId()).toBe(tdd.executionId);
    expect(seen?.getTaskInfo()).toMatchObject({
      taskName: 'Map',
      taskNameWithSubtasks: 'Map (2/3)#2',
      indexOfThisSubtask: 1,
      numberOfParallelSubtasks: 3,
      attemptNumber: 2,
      allocationId: tdd.allocationId,
    });
    expect(seen?.getTaskConfiguration().getString('test.key', '')).toBe('task value');
    expect(seen?.getJobConfiguration().getString('test.key', '')).toBe('job value');
    expect(seen?.getNumberOfWriters()).toBe(1);
    expect(seen?.getNumberOfInputGates()).toBe(0);
    expect(() => seen?.getInputGate(0)).toThrow(IllegalArgumentError);
  });

  it('fails when the invokable cannot be constructed', async () => {
    const { task, reports } = newTask(
      class extends AbstractInvokable {
        constructor(environment: Environment) {
          super(environment);
          throw new EddyError('bad configuration');
        }
        invoke(): Promise<void> {
          return Promise.resolve();
        }
      },
    );
    await expect(task.start()).resolves.toBe('FAILED');
    expect(reports.at(-1)?.error).toMatchObject({ message: 'bad configuration' });
  });

  it('ends CANCELED, reporting nothing else, when cancelled before it starts', async () => {
    const { task, states, shuffle } = newTask(BlockingTask);
    task.cancelExecution();
    expect(task.getExecutionState()).toBe('CANCELING');

    await expect(task.start()).resolves.toBe('CANCELED');

    expect(states()).toEqual(['CANCELED']);
    expect(shuffle.getNumberOfPartitions()).toBe(0);
  });

  it('ends CANCELED when cancelled while running, whatever the invokable throws, and releases its outputs', async () => {
    const { task, states, shuffle } = newTask(BlockingTask);
    const terminated = task.start();
    await Promise.resolve();
    expect(task.getExecutionState()).toBe('RUNNING');
    expect(shuffle.getNumberOfPartitions()).toBe(1);

    task.cancelExecution();

    await expect(terminated).resolves.toBe('CANCELED');
    expect(states()).toEqual(['INITIALIZING', 'RUNNING', 'CANCELED']);
    expect(shuffle.getNumberOfPartitions()).toBe(0);
  });

  it('ends CANCELED, not FINISHED, when a cancelled invokable just returns', async () => {
    let release: (() => void) | undefined;
    const { task, states } = newTask(
      class extends AbstractInvokable {
        invoke(): Promise<void> {
          return new Promise((resolve) => {
            release = resolve;
          });
        }
      },
    );
    const terminated = task.start();
    await Promise.resolve();
    task.cancelExecution();
    release?.();

    await expect(terminated).resolves.toBe('CANCELED');
    expect(states()).toEqual(['INITIALIZING', 'RUNNING', 'CANCELED']);
  });

  it('ends FAILED with the cause when failed from outside', async () => {
    const { task, reports } = newTask(BlockingTask);
    const terminated = task.start();
    await Promise.resolve();

    task.failExternally(new EddyError('slot lost'));
    task.cancelExecution();

    await expect(terminated).resolves.toBe('FAILED');
    expect(reports.at(-1)?.error).toMatchObject({ name: 'EddyError', message: 'slot lost' });
    expect(reports.filter((report) => report.state === 'FAILED')).toHaveLength(1);
  });

  it('gives up on a task that ignores cancellation after task.cancellation.timeout', async () => {
    const clock = new ManualClock();
    const { task, states } = newTask(
      class extends AbstractInvokable {
        invoke(): Promise<void> {
          return new Promise(() => undefined);
        }
      },
      descriptor(),
      { cancellationTimeoutMs: 5_000, executor: clock },
    );
    const terminated = task.start();
    await Promise.resolve();
    task.cancelExecution();

    clock.advance(4_999);
    expect(task.getExecutionState()).toBe('CANCELING');
    clock.advance(1);

    await expect(terminated).resolves.toBe('CANCELED');
    expect(states()).toEqual(['INITIALIZING', 'RUNNING', 'CANCELED']);
  });

  it('a cancel after the end changes nothing', async () => {
    const { task, states } = newTask(
      class extends AbstractInvokable {
        invoke(): Promise<void> {
          return Promise.resolve();
        }
      },
    );
    await task.start();
    task.cancelExecution();
    task.failExternally(new EddyError('too late'));

    expect(task.getExecutionState()).toBe('FINISHED');
    expect(states()).toEqual(['INITIALIZING', 'RUNNING', 'FINISHED']);
  });
});
