export * from './restart-backoff-time-strategy.js';
export * from './restart-strategy-options.js';
export * from './no-restart-backoff-time-strategy.js';
export * from './fixed-delay-restart-backoff-time-strategy.js';
export * from './failure-rate-restart-backoff-time-strategy.js';
export * from './exponential-delay-restart-backoff-time-strategy.js';
export * from './restart-backoff-time-strategy-factory-loader.js';
