export * from './mini-cluster.js';
export * from './mini-cluster-configuration.js';
