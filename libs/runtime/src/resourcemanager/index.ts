export * from './resource-manager.js';
export * from './resource-manager-gateway.js';
export * from './slot-manager.js';
export * from './worker-resource-spec.js';
