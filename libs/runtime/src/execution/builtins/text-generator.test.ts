import { describe, expect, it } from 'vitest';

import { TestingEnvironment } from '../testing/testing-environment.js';
import { InvalidTaskConfigurationError } from './task-config.js';
import { buildVocabulary, generateTextLines, vocabularyWord } from './text-generator.js';
import type { TextGeneratorOptions } from './text-generator.js';
import { compileTextGeneratorOptions, TextGeneratorSourceTask } from './text-generator-source.js';

const OPTIONS: TextGeneratorOptions = { lines: 100, wordsPerLine: 7, vocabularySize: 50, seed: 42 };

describe('text generator', () => {
  it('spells every vocabulary index as its own lowercase word', () => {
    const words = buildVocabulary(5000);
    expect(new Set(words).size).toBe(5000);
    expect(words.every((word) => /^[a-z]+$/.test(word))).toBe(true);
    expect(vocabularyWord(0)).toBe('kaka');
    expect(vocabularyWord(1)).toBe('kalo');
  });

  it('produces the same lines for the same options, other lines for another seed', () => {
    expect(generateTextLines(OPTIONS)).toEqual(generateTextLines({ ...OPTIONS }));
    expect(generateTextLines({ ...OPTIONS, seed: 43 })).not.toEqual(generateTextLines(OPTIONS));
  });

  it('produces the same text at any parallelism', () => {
    const whole = generateTextLines(OPTIONS);
    const parts = [0, 1, 2].flatMap((subtask) => generateTextLines(OPTIONS, subtask, 3));
    expect(parts).toEqual(whole);
    expect(whole).toHaveLength(100);
  });

  it('draws wordsPerLine words per line from the vocabulary', () => {
    const vocabulary = new Set(buildVocabulary(OPTIONS.vocabularySize));
    const used = new Set<string>();
    for (const line of generateTextLines({ ...OPTIONS, lines: 2000 })) {
      const words = line.split(' ');
      expect(words).toHaveLength(7);
      for (const word of words) {
        expect(vocabulary.has(word)).toBe(true);
        used.add(word);
      }
    }
    expect(used.size).toBe(OPTIONS.vocabularySize);
  });
});

describe('TextGeneratorSourceTask', () => {
  it('is registered as eddy.text-generator-source', () => {
    expect(TextGeneratorSourceTask.invokableName).toBe('eddy.text-generator-source');
  });

  it("emits its subtask's slice of the generated lines", async () => {
    const config = {
      'generator.lines': 100,
      'generator.words-per-line': 7,
      'generator.vocabulary-size': 50,
      'generator.seed': 42,
    };
    for (let subtask = 0; subtask < 3; subtask++) {
      const env = new TestingEnvironment({
        subtaskIndex: subtask,
        parallelism: 3,
        taskConfiguration: config,
      });
      await env.invoke(TextGeneratorSourceTask);
      expect(env.getTestingWriter().records).toEqual(generateTextLines(OPTIONS, subtask, 3));
    }
  });

  it('defaults to 10 words per line, a vocabulary of 1000 and seed 42', () => {
    const env = new TestingEnvironment({ taskConfiguration: { 'generator.lines': 5 } });
    expect(compileTextGeneratorOptions(env.getTaskConfiguration())).toEqual({
      lines: 5,
      wordsPerLine: 10,
      vocabularySize: 1000,
      seed: 42,
    });
  });

  it('stops without error when cancelled', async () => {
    const env = new TestingEnvironment({ taskConfiguration: { 'generator.lines': 1e12 } });
    const writer = env.getTestingWriter();
    const invoked = env.invoke(TextGeneratorSourceTask);
    while (writer.records.length < 5000) await new Promise((resolve) => setImmediate(resolve));
    env.cancel();
    await invoked;
    expect(writer.records.length).toBeLessThan(1e6);
  });

  it.each([
    [{}, 'generator.lines'],
    [{ 'generator.lines': -1 }, 'generator.lines'],
    [{ 'generator.lines': 1, 'generator.words-per-line': 0 }, 'generator.words-per-line'],
    [{ 'generator.lines': 1, 'generator.vocabulary-size': 0 }, 'generator.vocabulary-size'],
  ])('rejects the configuration %o, naming %s', async (config, key) => {
    const env = new TestingEnvironment({ taskConfiguration: config });
    const failure = env.invoke(TextGeneratorSourceTask);
    await expect(failure).rejects.toBeInstanceOf(InvalidTaskConfigurationError);
    await expect(failure).rejects.toMatchObject({ key });
  });

  it('names the key holding a value that is not a number', async () => {
    const env = new TestingEnvironment({
      taskConfiguration: { 'generator.lines': 1, 'generator.seed': 'abc' },
    });
    await expect(env.invoke(TextGeneratorSourceTask)).rejects.toThrow("'generator.seed'");
  });
});
