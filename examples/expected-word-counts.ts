import { generateTextLines } from '@eddy/runtime';
import type { JobGraphJson } from '@eddy/runtime';

/** The word counts a text-generator → tokenizer → sum job must produce, computed without the engine. */
export function expectedWordCounts(job: JobGraphJson): Map<string, number> {
  const source = job.vertices.find((v) => v.invokable === 'eddy.text-generator-source');
  const config = source?.configuration ?? {};
  const lines = generateTextLines({
    lines: Number(config['generator.lines']),
    wordsPerLine: Number(config['generator.words-per-line'] ?? 10),
    vocabularySize: Number(config['generator.vocabulary-size'] ?? 1000),
    seed: Number(config['generator.seed'] ?? 42),
  });
  const counts = new Map<string, number>();
  for (const line of lines) {
    for (const word of line.toLowerCase().split(/\s+/)) {
      if (word.length > 0) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}
