export * from './clock.js';
export * from './configuration.js';
export * from './errors.js';
export * from './ids.js';
export * from './memory-size.js';
export * from './resource-profile.js';
export * from './task-manager-location.js';
export * from './async.js';
