/**
 * @eddy/runtime: Apache Flink's runtime (flink-runtime 2.1) in TypeScript. The public surface,
 * one folder per concept as in flink-runtime.
 */
export * from './core/index.js';
export * from './jobgraph/index.js';
export * from './execution/index.js';
export * from './executiongraph/index.js';
export * from './io/network/index.js';
export * from './state/index.js';
export * from './deployment/index.js';
export * from './scheduler/index.js';
export * from './jobmaster/index.js';
export * from './resourcemanager/index.js';
export * from './taskexecutor/index.js';
export * from './blob/index.js';
export * from './rpc/index.js';
export * from './dispatcher/index.js';
export * from './minicluster/index.js';
export * from './streaming/index.js';
export * from './checkpoint/index.js';
export * from './checkpoint/storage/index.js';
export * from './checkpoint/state-assignment/index.js';
