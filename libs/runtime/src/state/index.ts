export * from './java-hash-code.js';
export * from './state-handles.js';
export * from './key-group-range-assignment.js';
