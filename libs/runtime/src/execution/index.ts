export * from './accumulators.js';
export * from './builtins/index.js';
export * from './environment.js';
export * from './execution-state.js';
export * from './invokable.js';
export * from './invokable-registry.js';
