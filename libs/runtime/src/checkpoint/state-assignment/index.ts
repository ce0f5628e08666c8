export * from './state-assignment-operation.js';
