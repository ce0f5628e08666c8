export * from './runtime-environment.js';
export * from './slot-types.js';
export * from './task.js';
export * from './task-execution-state.js';
export * from './task-executor.js';
export * from './task-executor-gateway.js';
export * from './task-slot-table.js';
