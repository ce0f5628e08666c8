export * from './buffer.js';
export * from './input-gate.js';
export * from './record-writer.js';
export * from './record-reader.js';
export * from './shuffle-environment.js';
export * from './network-options.js';
export * from './errors.js';
export type {
  BufferAvailabilityListener,
  ResultSubpartition,
  ResultSubpartitionView,
  SubpartitionOwner,
} from './result-subpartition.js';
export { PipelinedSubpartition } from './pipelined-subpartition.js';
export { BoundedBlockingSubpartition } from './bounded-blocking-subpartition.js';
export * from './result-partition.js';
export * from './result-partition-manager.js';
export * from './local-input-channel.js';
export * from './single-input-gate.js';
export * from './union-input-gate.js';
export * from './partitioners.js';
export * from './channel-selector-record-writer.js';
export * from './local-shuffle-environment.js';
