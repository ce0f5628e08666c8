import type { InvokableClass } from '../invokable.js';
import { CollectSink } from './collect-sink.js';
import { CountSink } from './count-sink.js';
import { DiscardSink } from './discard-sink.js';
import { Forward } from './forward.js';
import { SequenceSource } from './sequence-source.js';
import { SumByKey } from './sum-by-key.js';
import { TextGeneratorSource } from './text-generator-source.js';
import { Tokenizer } from './tokenizer.js';

export * from './collect-sink.js';
export * from './count-sink.js';
export * from './data-path.js';
export * from './discard-sink.js';
export * from './forward.js';
export * from './sequence-source.js';
export * from './sum-by-key.js';
export * from './task-config.js';
export * from './text-generator.js';
export * from './text-generator-source.js';
export * from './tokenizer.js';

/** Every built-in invokable; each registers under its static `invokableName` (`eddy.*`). */
export const BUILTIN_INVOKABLES: readonly (InvokableClass & { readonly invokableName: string })[] = [
  SequenceSource,
  TextGeneratorSource,
  Tokenizer,
  SumByKey,
  Forward,
  CollectSink,
  CountSink,
  DiscardSink,
];
