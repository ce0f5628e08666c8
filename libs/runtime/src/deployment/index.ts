export * from './task-deployment-descriptor.js';
