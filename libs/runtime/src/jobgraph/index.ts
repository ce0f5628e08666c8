export * from './checkpointing-settings.js';
export * from './enums.js';
export * from './job-graph.js';
export * from './job-graph-json.js';
export * from './job-graph-validator.js';
export * from './job-vertex.js';
export * from './partitioner-spec.js';
export * from './savepoint-restore-settings.js';
