import { subtaskSlice } from './data-path.js';

/** What the text generator produces; see the `generator.*` options of the text generator source. */
export interface TextGeneratorOptions {
  /** Lines over all subtasks. */
  readonly lines: number;
  readonly wordsPerLine: number;
  /** Number of distinct words the lines are drawn from. */
  readonly vocabularySize: number;
  readonly seed: number;
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ne',
  'ru',
  'ta',
  'vi',
  'so',
  'pe',
  'du',
  'ga',
  'hi',
  'jo',
  'be',
  'fa',
  'zu',
];

/**
 * Word `index` of the fixed vocabulary: the base-16 digits of `index` (at least two) spelled as
 * two-letter syllables, so every index has its own lowercase word ('kaka', 'kalo', …).
 */
export function vocabularyWord(index: number): string {
  let word = '';
  let rest = index;
  let digits = 0;
  do {
    word = (SYLLABLES[rest % 16] ?? '') + word;
    rest = Math.floor(rest / 16);
    digits++;
  } while (rest > 0 || digits < 2);
  return word;
}

/** The first `size` words of the fixed vocabulary. */
export function buildVocabulary(size: number): string[] {
  const words = new Array<string>(size);
  for (let i = 0; i < size; i++) words[i] = vocabularyWord(i);
  return words;
}

/** MurmurHash3's 32-bit finaliser: spreads the bits of a seed. */
function mix32(value: number): number {
  let x = value | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * Produces the generator's lines. Line n depends only on n, the seed and the vocabulary (it has its
 * own pseudo-random stream, mulberry32 seeded from seed and n), so the whole text is the same at
 * any parallelism and any subtask can produce any line on its own.
 */
export class TextGenerator {
  private readonly vocabulary: readonly string[];
  private readonly words: string[];

  constructor(private readonly options: TextGeneratorOptions) {
    this.vocabulary = buildVocabulary(options.vocabularySize);
    this.words = new Array<string>(options.wordsPerLine);
  }

  /** Line `lineIndex` (0-based over all subtasks): `wordsPerLine` words separated by single spaces. */
  line(lineIndex: number): string {
    const size = this.vocabulary.length;
    let state = mix32(
      this.options.seed ^ mix32(lineIndex ^ mix32(Math.floor(lineIndex / 0x100000000) + 0x9e3779b9)),
    );
    for (let i = 0; i < this.words.length; i++) {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const random = ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
      this.words[i] = this.vocabulary[Math.floor(random * size)] ?? '';
    }
    return this.words.join(' ');
  }
}

/**
 * The lines subtask `subtaskIndex` of `parallelism` emits: the subtask's contiguous slice of the
 * `lines` lines, in order. Pure: tests and benchmarks use it to compute the expected output.
 */
export function generateTextLines(
  options: TextGeneratorOptions,
  subtaskIndex = 0,
  parallelism = 1,
): string[] {
  const generator = new TextGenerator(options);
  const { start, count } = subtaskSlice(options.lines, subtaskIndex, parallelism);
  const lines = new Array<string>(count);
  for (let i = 0; i < count; i++) lines[i] = generator.line(start + i);
  return lines;
}
