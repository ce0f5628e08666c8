export * from './job-master.js';
export * from './job-master-gateway.js';
export * from './job-master-options.js';
export * from './slotpool/index.js';
