export type * from './checkpoint-storage.js';
export * from './checkpoint-storage-errors.js';
export * from './checkpoint-storage-options.js';
export {
  CHECKPOINT_METADATA_VERSION,
  checkpointMetadataToText,
  parseCheckpointMetadata,
} from './checkpoint-metadata-json.js';
export {
  DEFAULT_MAX_INLINE_STATE_SIZE_BYTES,
  DEFAULT_MEMORY_THRESHOLD_BYTES,
  MAX_MEMORY_THRESHOLD_BYTES,
} from './checkpoint-stream-factories.js';
export * from './file-system-checkpoint-storage.js';
export * from './job-manager-checkpoint-storage.js';
export { LOCAL_FILE_SYSTEM, METADATA_FILE_NAME } from './storage-file-system.js';
export type { StorageFileSystem } from './storage-file-system.js';
