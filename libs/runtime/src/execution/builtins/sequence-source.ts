import { ConfigOptions } from '../../core/configuration.js';
import type { ConfigOption, Configuration } from '../../core/configuration.js';
import { AbstractInvokable } from '../invokable.js';
import { emitGenerated, subtaskSlice, TaskOutput } from './data-path.js';
import { getRequired, InvalidTaskConfigurationError } from './task-config.js';

const NAME = 'eddy.sequence-source';

/** First number of the sequence (inclusive). Default 1. */
export const SEQUENCE_FROM: ConfigOption<number> = ConfigOptions.key('sequence.from')
  .intType()
  .defaultValue(1)
  .withDescription('First number the sequence source emits (inclusive).');

/** Last number of the sequence (inclusive). Required; must be >= `sequence.from`. */
export const SEQUENCE_TO: ConfigOption<number | undefined> = ConfigOptions.key('sequence.to')
  .intType()
  .noDefaultValue()
  .withDescription('Last number the sequence source emits (inclusive). Required.');

/** The validated configuration of a sequence source. */
export interface SequenceSourceOptions {
  readonly from: number;
  readonly to: number;
}

/** Reads and checks the sequence source's keys; errors name the offending key. */
export function compileSequenceSourceOptions(config: Configuration): SequenceSourceOptions {
  const from = config.get(SEQUENCE_FROM);
  const to = getRequired(config, SEQUENCE_TO, NAME);
  if (to < from) {
    throw new InvalidTaskConfigurationError(
      SEQUENCE_TO.key,
      NAME,
      `is ${to}: expected at least '${SEQUENCE_FROM.key}' (${from}).`,
    );
  }
  return { from, to };
}

/**
 * Source emitting the integers `[sequence.from, sequence.to]` in ascending order (Flink's
 * NumberSequenceSource). The range is split into contiguous slices, as even as possible: subtask i
 * emits the i-th slice, so all subtasks together emit each number exactly once. Every number goes
 * to every writer of the task; a task without writers emits nothing. Stops early, without error,
 * when the task is cancelled.
 */
export class SequenceSourceTask extends AbstractInvokable {
  static readonly invokableName = NAME;

  async invoke(): Promise<void> {
    const { from, to } = compileSequenceSourceOptions(this.getTaskConfiguration());
    const output = new TaskOutput<number>(this.getEnvironment());
    if (output.isEmpty()) return;
    const slice = subtaskSlice(
      to - from + 1,
      this.getIndexInSubtaskGroup(),
      this.getCurrentNumberOfSubtasks(),
    );
    const first = from + slice.start;
    await emitGenerated(
      output,
      slice.count,
      (offset) => first + offset,
      this.getEnvironment().getCancellationSignal(),
    );
  }
}
