export * from './dispatcher.js';
export * from './errors.js';
export * from './job-result.js';
export * from './stores.js';
