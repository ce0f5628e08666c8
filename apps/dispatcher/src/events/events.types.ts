/**
 * The Dispatcher's live events over socket.io, typed for both ends: the service's gateway and any
 * client (the dashboard) import these maps, e.g.
 * `io(url) as Socket<ServerToClientEvents, ClientToServerEvents>` with socket.io-client.
 *
 * This file has no runtime imports, so a client can depend on it alone.
 */

/** A job's status (Flink's JobStatus). */
export type JobStatusName =
  | 'INITIALIZING'
  | 'CREATED'
  | 'RUNNING'
  | 'FAILING'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELED'
  | 'FINISHED'
  | 'RESTARTING'
  | 'SUSPENDED'
  | 'RECONCILING';

/** A subtask attempt's state (Flink's ExecutionState). */
export type ExecutionStateName =
  | 'CREATED'
  | 'SCHEDULED'
  | 'DEPLOYING'
  | 'RUNNING'
  | 'FINISHED'
  | 'CANCELING'
  | 'CANCELED'
  | 'FAILED'
  | 'RECONCILING'
  | 'INITIALIZING';

/** Subtasks in each state (every state present, 0 when none). */
export type ExecutionStateCountsEvent = Record<ExecutionStateName, number>;

/** `job-status`: a job changed status (sent to `job:<jobId>` and `cluster`). */
export interface JobStatusEvent {
  readonly jobId: string;
  readonly status: JobStatusName;
  /** Epoch milliseconds of the change. */
  readonly timestamp: number;
}

/**
 * `execution-state-counts`: the job's subtasks per state, in total and per job vertex. Sent on
 * every status change of the job and, while it runs, at most every 500 ms when they changed.
 */
export interface ExecutionStateCountsMessage {
  readonly jobId: string;
  readonly counts: ExecutionStateCountsEvent;
  readonly vertices: readonly { readonly id: string; readonly counts: ExecutionStateCountsEvent }[];
}

/** `taskmanager-registered` / `taskmanager-lost` (sent to `cluster`). */
export interface TaskManagerEvent {
  /** The TaskExecutor's ResourceID (REST `taskmanagers[].id`). */
  readonly id: string;
  /** Its RPC address. */
  readonly address: string;
  readonly slotsNumber: number;
  /** Epoch milliseconds the service noticed the change. */
  readonly timestamp: number;
}

/** `checkpoint-completed` (sent to `job:<jobId>` and `cluster`). */
export interface CheckpointCompletedEvent {
  readonly jobId: string;
  readonly checkpointId: number;
  readonly isSavepoint: boolean;
  readonly triggerTimestamp: number;
  readonly latestAckTimestamp: number;
  readonly endToEndDurationMs: number;
  readonly stateSize: number;
  readonly checkpointedSize: number;
  readonly externalPath: string;
}

/** `checkpoint-failed` (sent to `job:<jobId>` and `cluster`). */
export interface CheckpointFailedEvent {
  readonly jobId: string;
  readonly checkpointId: number;
  readonly isSavepoint: boolean;
  readonly triggerTimestamp: number;
  readonly failureTimestamp: number;
  readonly failureMessage: string | null;
}

/** What the service sends. */
export interface ServerToClientEvents {
  'job-status': (event: JobStatusEvent) => void;
  'execution-state-counts': (event: ExecutionStateCountsMessage) => void;
  'taskmanager-registered': (event: TaskManagerEvent) => void;
  'taskmanager-lost': (event: TaskManagerEvent) => void;
  'checkpoint-completed': (event: CheckpointCompletedEvent) => void;
  'checkpoint-failed': (event: CheckpointFailedEvent) => void;
}

/** What a client sends; each answers through the acknowledgement callback. */
export interface ClientToServerEvents {
  /** Joins `job:<jobId>`; acks false for a malformed job ID (the job need not exist yet). */
  subscribe: (request: { jobId: string }, ack: (joined: boolean) => void) => void;
  /** Leaves `job:<jobId>`. */
  unsubscribe: (request: { jobId: string }, ack: (left: boolean) => void) => void;
  /** Joins `cluster`: every job's events and the TaskManager events. */
  'subscribe-cluster': (ack: (joined: boolean) => void) => void;
}

/** Room names. */
export const CLUSTER_ROOM = 'cluster';
export function jobRoom(jobId: string): string {
  return `job:${jobId}`;
}
