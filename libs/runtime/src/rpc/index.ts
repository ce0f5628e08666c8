export * from './rpc-service.js';
