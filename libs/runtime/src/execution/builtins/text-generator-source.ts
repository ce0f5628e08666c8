import { ConfigOptions } from '../../core/configuration.js';
import type { ConfigOption, Configuration } from '../../core/configuration.js';
import { AbstractInvokable } from '../invokable.js';
import { emitGenerated, subtaskSlice, TaskOutput } from './data-path.js';
import { checkAtLeast, getRequired } from './task-config.js';
import { TextGenerator } from './text-generator.js';
import type { TextGeneratorOptions } from './text-generator.js';

const NAME = 'eddy.text-generator-source';

/** Lines over all subtasks. Required; >= 0. */
export const GENERATOR_LINES: ConfigOption<number | undefined> = ConfigOptions.key('generator.lines')
  .intType()
  .noDefaultValue()
  .withDescription('Number of lines the text generator emits over all its subtasks. Required.');

/** Words per line. Default 10; >= 1. */
export const GENERATOR_WORDS_PER_LINE: ConfigOption<number> = ConfigOptions.key('generator.words-per-line')
  .intType()
  .defaultValue(10)
  .withDescription('Number of words in each generated line.');

/** Distinct words lines are drawn from. Default 1000; >= 1. */
export const GENERATOR_VOCABULARY_SIZE: ConfigOption<number> = ConfigOptions.key('generator.vocabulary-size')
  .intType()
  .defaultValue(1000)
  .withDescription('Number of distinct words the generated lines are drawn from.');

/** Seed of the pseudo-random word choice. Default 42. */
export const GENERATOR_SEED: ConfigOption<number> = ConfigOptions.key('generator.seed')
  .intType()
  .defaultValue(42)
  .withDescription('Seed of the pseudo-random word choice: the same seed gives the same text.');

/** Reads and checks the text generator's keys; errors name the offending key. */
export function compileTextGeneratorOptions(config: Configuration): TextGeneratorOptions {
  return {
    lines: checkAtLeast(getRequired(config, GENERATOR_LINES, NAME), 0, GENERATOR_LINES, NAME),
    wordsPerLine: checkAtLeast(config.get(GENERATOR_WORDS_PER_LINE), 1, GENERATOR_WORDS_PER_LINE, NAME),
    vocabularySize: checkAtLeast(config.get(GENERATOR_VOCABULARY_SIZE), 1, GENERATOR_VOCABULARY_SIZE, NAME),
    seed: config.get(GENERATOR_SEED),
  };
}

/**
 * Source emitting deterministic pseudo-random lines of lowercase words (strings) from a fixed
 * vocabulary, the input of word-count jobs and benchmarks. Subtask i emits the i-th contiguous
 * slice of the `generator.lines` lines; the same configuration gives the same text at any
 * parallelism (see {@link generateTextLines}). Every line goes to every writer. Stops early,
 * without error, when the task is cancelled.
 */
export class TextGeneratorSourceTask extends AbstractInvokable {
  static readonly invokableName = NAME;

  async invoke(): Promise<void> {
    const options = compileTextGeneratorOptions(this.getTaskConfiguration());
    const output = new TaskOutput<string>(this.getEnvironment());
    if (output.isEmpty()) return;
    const { start, count } = subtaskSlice(
      options.lines,
      this.getIndexInSubtaskGroup(),
      this.getCurrentNumberOfSubtasks(),
    );
    const generator = new TextGenerator(options);
    await emitGenerated(
      output,
      count,
      (offset) => generator.line(start + offset),
      this.getEnvironment().getCancellationSignal(),
    );
  }
}
