export * from './slot-pool.js';
