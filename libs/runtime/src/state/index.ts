export * from './java-hash-code.js';
export * from './state-handles.js';
export * from './key-group-range-assignment.js';
export * from './state-api.js';
export * from './state-errors.js';
export * from './heap-keyed-state-backend.js';
export * from './default-operator-state-backend.js';
