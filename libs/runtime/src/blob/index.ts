export * from './library-cache-manager.js';
