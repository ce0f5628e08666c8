import { IllegalArgumentError } from '../../core/errors.js';
import { AbstractInvokable } from '../invokable.js';
import { consumeInputs, TaskOutput } from './data-path.js';

/** A word with a count, as the tokenizer emits and sum-by-key aggregates. */
export type WordCount = [word: string, count: number];

const WHITESPACE = /\s+/;

/**
 * Splits lines (strings) into lowercase words at whitespace and emits `[word, 1]` for each, in
 * order (the flat-map of Flink's WordCount example). Reads all inputs; writes to every writer. A
 * record that is not a string fails the task. No configuration.
 */
export class TokenizerTask extends AbstractInvokable {
  static readonly invokableName = 'eddy.tokenizer';

  async invoke(): Promise<void> {
    const output = new TaskOutput<WordCount>(this.getEnvironment());
    await consumeInputs(
      this.getEnvironment(),
      (lines) => {
        for (const line of lines) {
          if (typeof line !== 'string') {
            throw new IllegalArgumentError(
              `${TokenizerTask.invokableName} expects strings but read a ${typeof line}.`,
            );
          }
          for (const word of line.toLowerCase().split(WHITESPACE)) {
            if (word.length > 0) output.emit([word, 1]);
          }
        }
      },
      output,
    );
  }
}
