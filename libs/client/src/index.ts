export {
  EddyApiError,
  EddyClient,
  type CheckpointRequest,
  type EddyClientOptions,
  type JobGraphJson,
  type JobStatus,
  type PollOptions,
  type RequestBodyOf,
  type ResponseOf,
  type SavepointRequest,
  type Schemas,
  type StopRequest,
} from './client.js';
export { main, type CliIo } from './cli.js';
export type { components, operations, paths } from './generated/openapi.js';
