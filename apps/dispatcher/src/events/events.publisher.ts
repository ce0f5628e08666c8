import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { EXECUTION_STATES, isGloballyTerminalState } from '@eddy/runtime';
import type { ArchivedExecutionGraph, JobID, JobStatus, TaskManagerInfo } from '@eddy/runtime';
import { EngineService } from '../engine/engine.service.js';
import { EventsGateway } from './events.gateway.js';
import { EVENTS_SETTINGS } from './events.settings.js';
import type { EventsSettings } from './events.settings.js';
import { CLUSTER_ROOM, jobRoom } from './events.types.js';
import type {
  ExecutionStateCountsEvent,
  ExecutionStateCountsMessage,
  ServerToClientEvents,
  TaskManagerEvent,
} from './events.types.js';

/** What the publisher remembers of a job it watches. */
interface WatchedJob {
  /** JSON of the last counts sent (only changes are sent on ticks). */
  lastCounts: string;
  completedSeen: number;
  failedSeen: number;
  /** Highest checkpoint ID already announced. */
  lastCheckpointId: number;
}

function zeroCounts(): Record<string, number> {
  return Object.fromEntries(EXECUTION_STATES.map((state) => [state, 0]));
}

/** A job's subtasks per state, in total and per vertex. */
export function executionStateCounts(
  jobId: string,
  graph: ArchivedExecutionGraph,
): ExecutionStateCountsMessage {
  const total = zeroCounts();
  const vertices = graph.getAllVertices().map((vertex) => {
    const counts = zeroCounts();
    for (const state of EXECUTION_STATES) {
      const n = vertex.stateCounts[state];
      counts[state] = n;
      total[state] = (total[state] ?? 0) + n;
    }
    return { id: String(vertex.id), counts: counts as ExecutionStateCountsEvent };
  });
  return { jobId, counts: total as ExecutionStateCountsEvent, vertices };
}

function taskManagerEvent(info: TaskManagerInfo, timestamp: number): TaskManagerEvent {
  return {
    id: String(info.resourceId),
    address: info.location.address,
    slotsNumber: info.numberOfSlots,
    timestamp,
  };
}

/**
 * Turns the engine's happenings into socket.io events: job status changes (Dispatcher listener),
 * execution state counts and checkpoint completions/failures of running jobs (looked at every
 * `jobIntervalMs`, only for jobs someone listens to), TaskManagers registered/lost (listed and
 * diffed every `clusterIntervalMs`). Timers are unref'd and stop when the module is destroyed.
 */
@Injectable()
export class EventsPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(EventsPublisher.name);
  private readonly watched = new Map<string, WatchedJob>();
  private taskManagers: Map<string, TaskManagerInfo> | undefined;
  private timers: NodeJS.Timeout[] = [];
  private closed = false;
  private jobTickRunning = false;
  private clusterTickRunning = false;

  constructor(
    private readonly engine: EngineService,
    private readonly gateway: EventsGateway,
    @Inject(EVENTS_SETTINGS) private readonly settings: EventsSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.engine.dispatcher.onJobStatusChange((jobId, status, timestamp) => {
      this.jobStatusChanged(jobId, status, timestamp);
    });
    const jobTimer = setInterval(() => void this.jobTick(), this.settings.jobIntervalMs ?? 500);
    const clusterTimer = setInterval(() => void this.clusterTick(), this.settings.clusterIntervalMs ?? 1000);
    jobTimer.unref();
    clusterTimer.unref();
    this.timers = [jobTimer, clusterTimer];
    void this.clusterTick();
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.watched.clear();
  }

  private emit<E extends keyof ServerToClientEvents>(
    jobId: string | undefined,
    event: E,
    ...args: Parameters<ServerToClientEvents[E]>
  ): void {
    const server = this.gateway.server;
    if (this.closed || server === undefined) return;
    const rooms = jobId === undefined ? [CLUSTER_ROOM] : [jobRoom(jobId), CLUSTER_ROOM];
    server.to(rooms).emit(event, ...args);
  }

  private jobStatusChanged(jobId: JobID, status: JobStatus, timestamp: number): void {
    if (this.closed) return;
    const id = String(jobId);
    this.emit(id, 'job-status', { jobId: id, status, timestamp });
    const terminal = isGloballyTerminalState(status);
    if (!terminal && !this.watched.has(id))
      this.watched.set(id, { lastCounts: '', completedSeen: 0, failedSeen: 0, lastCheckpointId: 0 });
    void this.inspectJob(id, true).finally(() => {
      if (terminal) this.watched.delete(id);
    });
  }

  /** Sends the job's counts (always when `force`, else when changed) and new checkpoint outcomes. */
  private async inspectJob(jobId: string, force: boolean): Promise<void> {
    if (this.closed || !this.gateway.hasListeners(jobId)) return;
    let graph: ArchivedExecutionGraph;
    try {
      graph = await this.engine.dispatcher.requestJob(jobId as JobID);
    } catch {
      return; // not known (yet/any more): nothing to tell
    }
    const counts = executionStateCounts(jobId, graph);
    const serialized = JSON.stringify(counts);
    const watched = this.watched.get(jobId);
    if (force || watched?.lastCounts !== serialized) {
      if (watched !== undefined) watched.lastCounts = serialized;
      this.emit(jobId, 'execution-state-counts', counts);
    }
    if (watched !== undefined) this.checkpoints(jobId, graph, watched);
  }

  private checkpoints(jobId: string, graph: ArchivedExecutionGraph, watched: WatchedJob): void {
    const snapshot = graph.getCheckpointStatsSnapshot();
    if (snapshot === undefined) return;
    const { completed, failed } = snapshot.counts;
    if (completed === watched.completedSeen && failed === watched.failedSeen) return;
    watched.completedSeen = completed;
    watched.failedSeen = failed;
    const fresh = snapshot.history
      .filter((cp) => cp.checkpointId > watched.lastCheckpointId && cp.status !== 'IN_PROGRESS')
      .sort((a, b) => a.checkpointId - b.checkpointId);
    for (const cp of fresh) {
      watched.lastCheckpointId = cp.checkpointId;
      if (cp.status === 'COMPLETED')
        this.emit(jobId, 'checkpoint-completed', {
          jobId,
          checkpointId: cp.checkpointId,
          isSavepoint: cp.isSavepoint,
          triggerTimestamp: cp.triggerTimestamp,
          latestAckTimestamp: cp.latestAckTimestamp,
          endToEndDurationMs: cp.endToEndDurationMs,
          stateSize: cp.stateSize,
          checkpointedSize: cp.checkpointedSize,
          externalPath: cp.externalPath,
        });
      else if (cp.status === 'FAILED')
        this.emit(jobId, 'checkpoint-failed', {
          jobId,
          checkpointId: cp.checkpointId,
          isSavepoint: cp.isSavepoint,
          triggerTimestamp: cp.triggerTimestamp,
          failureTimestamp: cp.failureTimestamp,
          failureMessage: cp.failureMessage,
        });
    }
  }

  private async jobTick(): Promise<void> {
    if (this.closed || this.jobTickRunning || this.watched.size === 0) return;
    this.jobTickRunning = true;
    try {
      for (const jobId of [...this.watched.keys()]) await this.inspectJob(jobId, false);
    } catch (error) {
      this.logger.warn(`Live job events failed: ${String(error)}`);
    } finally {
      this.jobTickRunning = false;
    }
  }

  private async clusterTick(): Promise<void> {
    if (this.closed || this.clusterTickRunning) return;
    this.clusterTickRunning = true;
    try {
      const infos = await this.engine.resourceManager.requestTaskManagerInfo();
      const now = Date.now();
      const current = new Map(infos.map((info) => [String(info.resourceId), info]));
      const previous = this.taskManagers;
      this.taskManagers = current;
      if (previous === undefined) return; // the first listing is the baseline
      for (const [id, info] of current)
        if (!previous.has(id)) this.emit(undefined, 'taskmanager-registered', taskManagerEvent(info, now));
      for (const [id, info] of previous)
        if (!current.has(id)) this.emit(undefined, 'taskmanager-lost', taskManagerEvent(info, now));
    } catch (error) {
      // Stopping (timers cleared) makes the engine refuse: not worth a warning.
      if (this.timers.length > 0) this.logger.warn(`Listing TaskManagers failed: ${String(error)}`);
    } finally {
      this.clusterTickRunning = false;
    }
  }
}
