export * from './archived-execution-graph.js';
export * from './default-execution-graph.js';
export * from './edge-manager-build-util.js';
export * from './execution.js';
export * from './execution-job-vertex.js';
export * from './execution-vertex.js';
export * from './intermediate-result.js';
export * from './job-status.js';
