import type { ResourceID } from './ids.js';

/** Where a TaskExecutor runs: shown for every subtask and used to connect data channels. */
export interface TaskManagerLocation {
  readonly resourceId: ResourceID;
  /** Host name or IP address. */
  readonly host: string;
  /** Port of its data (shuffle) server; -1 when channels are in-process only. */
  readonly dataPort: number;
  /** Its RPC address, for example `local://taskmanager-0` or `tcp://127.0.0.1:6122`. */
  readonly address: string;
}

/** Flink's `host:port` form of a location, as REST responses show it. */
export function taskManagerEndpoint(location: TaskManagerLocation): string {
  return `${location.host}:${location.dataPort}`;
}
