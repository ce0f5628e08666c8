export * from './pipelined-region-scheduling-strategy.js';
export * from './pipelined-regions.js';
