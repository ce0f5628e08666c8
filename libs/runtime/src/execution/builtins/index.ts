import type { InvokableClass } from '../invokable.js';
import { CollectSinkTask } from './collect-sink.js';
import { CountSinkTask } from './count-sink.js';
import { DiscardSinkTask } from './discard-sink.js';
import { ForwardTask } from './forward.js';
import { SequenceSourceTask } from './sequence-source.js';
import { SumByKeyTask } from './sum-by-key.js';
import { TextGeneratorSourceTask } from './text-generator-source.js';
import { TokenizerTask } from './tokenizer.js';

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
  SequenceSourceTask,
  TextGeneratorSourceTask,
  TokenizerTask,
  SumByKeyTask,
  ForwardTask,
  CollectSinkTask,
  CountSinkTask,
  DiscardSinkTask,
];
