import { IllegalArgumentError } from '../core/errors.js';
import type { JobVertexID } from '../core/ids.js';
import { isSavepoint } from './checkpoint-types.js';
import type { CheckpointMetrics, SavepointFormatType, SnapshotType } from './checkpoint-types.js';
import { DEFAULT_CHECKPOINT_HISTORY_SIZE, StatsSummary, ZERO_STATS_SUMMARY } from './checkpoint-stats.js';
import type {
  CheckpointStats,
  CheckpointStatsSnapshot,
  CheckpointStatsStatus,
  CompletedCheckpointStats,
  FailedCheckpointStats,
  RestoredCheckpointStats,
  SubtaskCheckpointStats,
  TaskCheckpointStats,
} from './checkpoint-stats.js';

/** A checkpoint that was just triggered, as the tracker learns of it. */
export interface PendingCheckpointStatsInfo {
  readonly checkpointId: number;
  readonly triggerTimestamp: number;
  readonly snapshotType: SnapshotType;
  /** Null (the default) for checkpoints. */
  readonly savepointFormat?: SavepointFormatType | null;
  /** The subtasks that must acknowledge, as parallelism by job vertex. */
  readonly vertexToParallelism: ReadonlyMap<JobVertexID, number>;
}

/**
 * Collects statistics of a job's checkpoints for the web UI and REST (Flink's
 * CheckpointStatsTracker). The CheckpointCoordinator reports; readers take plain-data snapshots.
 */
export interface CheckpointStatsTracker {
  reportPendingCheckpoint(info: PendingCheckpointStatsInfo): void;
  /** A subtask acknowledged; ignored unless the checkpoint is in progress and the subtask new. */
  reportSubtaskStats(
    checkpointId: number,
    jobVertexId: JobVertexID,
    subtaskIndex: number,
    ackTimestamp: number,
    metrics: CheckpointMetrics,
  ): void;
  reportCompleted(checkpointId: number, externalPath: string): void;
  reportFailed(checkpointId: number, failureTimestamp: number, failureMessage: string | null): void;
  /** A checkpoint failed before it was in progress (while triggering). */
  reportFailedWithoutInProgress(): void;
  reportRestored(restored: RestoredCheckpointStats): void;
  /** A completed checkpoint's files were deleted (subsumed, or discarded when the job ended). */
  reportDiscarded(checkpointId: number): void;
  createSnapshot(): CheckpointStatsSnapshot;
}

/**
 * The tracker of a job (Flink's DefaultCheckpointStatsTracker): counts, a summary of completed
 * checkpoints, the latest ones and the last `historySize` checkpoints (default
 * {@link DEFAULT_CHECKPOINT_HISTORY_SIZE}, Flink's `web.checkpoints.history`), newest first.
 * Snapshots are cached until something changes.
 */
export class DefaultCheckpointStatsTracker implements CheckpointStatsTracker {
  private readonly counts = { restored: 0, total: 0, inProgress: 0, completed: 0, failed: 0 };
  private readonly summary = {
    checkpointedSize: new StatsSummary(),
    stateSize: new StatsSummary(),
    endToEndDuration: new StatsSummary(),
    processedData: new StatsSummary(),
    persistedData: new StatsSummary(),
  };
  private readonly pending = new Map<number, CheckpointRecord>();
  /** Oldest first; at most historySize. */
  private readonly history: CheckpointRecord[] = [];
  private latestCompleted: CheckpointRecord | undefined;
  private latestSavepoint: CheckpointRecord | undefined;
  private latestFailed: CheckpointRecord | undefined;
  private latestRestored: RestoredCheckpointStats | undefined;
  private cachedSnapshot: CheckpointStatsSnapshot | undefined;

  /** @param historySize checkpoints kept in the history; >= 0. Default 10. */
  constructor(private readonly historySize: number = DEFAULT_CHECKPOINT_HISTORY_SIZE) {
    if (!Number.isInteger(historySize) || historySize < 0) {
      throw new IllegalArgumentError('The checkpoint stats history size must be >= 0.');
    }
  }

  reportPendingCheckpoint(info: PendingCheckpointStatsInfo): void {
    const record = new CheckpointRecord(info);
    this.pending.set(info.checkpointId, record);
    this.counts.inProgress++;
    this.counts.total++;
    if (this.historySize > 0) {
      this.history.push(record);
      if (this.history.length > this.historySize) this.history.shift();
    }
    this.cachedSnapshot = undefined;
  }

  reportSubtaskStats(
    checkpointId: number,
    jobVertexId: JobVertexID,
    subtaskIndex: number,
    ackTimestamp: number,
    metrics: CheckpointMetrics,
  ): void {
    const record = this.pending.get(checkpointId);
    if (record?.reportSubtask(jobVertexId, subtaskIndex, ackTimestamp, metrics) === true) {
      this.cachedSnapshot = undefined;
    }
  }

  reportCompleted(checkpointId: number, externalPath: string): void {
    const record = this.pending.get(checkpointId);
    if (record === undefined) return;
    this.pending.delete(checkpointId);
    record.status = 'COMPLETED';
    record.externalPath = externalPath;
    this.counts.inProgress = Math.max(0, this.counts.inProgress - 1);
    this.counts.completed++;
    if (record.isSavepoint()) {
      if (this.latestSavepoint === undefined || checkpointId > this.latestSavepoint.checkpointId) {
        this.latestSavepoint = record;
      }
    } else if (this.latestCompleted === undefined || checkpointId > this.latestCompleted.checkpointId) {
      this.latestCompleted = record;
    }
    this.summary.checkpointedSize.add(record.checkpointedSize);
    this.summary.stateSize.add(record.stateSize);
    this.summary.endToEndDuration.add(record.endToEndDuration());
    this.summary.processedData.add(record.processedData);
    this.summary.persistedData.add(record.persistedData);
    this.cachedSnapshot = undefined;
  }

  reportFailed(checkpointId: number, failureTimestamp: number, failureMessage: string | null): void {
    const record = this.pending.get(checkpointId);
    if (record === undefined) return;
    this.pending.delete(checkpointId);
    record.status = 'FAILED';
    record.failureTimestamp = failureTimestamp;
    record.failureMessage = failureMessage;
    this.counts.inProgress = Math.max(0, this.counts.inProgress - 1);
    this.counts.failed++;
    if (this.latestFailed === undefined || checkpointId > this.latestFailed.checkpointId) {
      this.latestFailed = record;
    }
    this.cachedSnapshot = undefined;
  }

  reportFailedWithoutInProgress(): void {
    this.counts.failed++;
    this.counts.total++;
    this.cachedSnapshot = undefined;
  }

  reportRestored(restored: RestoredCheckpointStats): void {
    this.counts.restored++;
    this.latestRestored = { ...restored };
    this.cachedSnapshot = undefined;
  }

  reportDiscarded(checkpointId: number): void {
    for (const record of [...this.history, this.latestCompleted, this.latestSavepoint]) {
      if (record?.checkpointId === checkpointId && record.status === 'COMPLETED') record.discarded = true;
    }
    this.cachedSnapshot = undefined;
  }

  createSnapshot(): CheckpointStatsSnapshot {
    this.cachedSnapshot ??= {
      counts: { ...this.counts },
      summary: {
        checkpointedSize: this.summary.checkpointedSize.snapshot(),
        stateSize: this.summary.stateSize.snapshot(),
        endToEndDuration: this.summary.endToEndDuration.snapshot(),
        alignmentBuffered: ZERO_STATS_SUMMARY,
        processedData: this.summary.processedData.snapshot(),
        persistedData: this.summary.persistedData.snapshot(),
      },
      latest: {
        completed: asCompleted(this.latestCompleted?.toStats()),
        savepoint: asCompleted(this.latestSavepoint?.toStats()),
        failed: asFailed(this.latestFailed?.toStats()),
        restored: this.latestRestored ?? null,
      },
      history: this.history.map((record) => record.toStats()).reverse(),
    };
    return this.cachedSnapshot;
  }
}

function asCompleted(stats: CheckpointStats | undefined): CompletedCheckpointStats | null {
  return stats?.status === 'COMPLETED' ? stats : null;
}

function asFailed(stats: CheckpointStats | undefined): FailedCheckpointStats | null {
  return stats?.status === 'FAILED' ? stats : null;
}

/** The mutable statistics of one checkpoint while the tracker updates them. */
class CheckpointRecord {
  readonly checkpointId: number;
  status: CheckpointStatsStatus = 'IN_PROGRESS';
  externalPath = '';
  discarded = false;
  failureTimestamp = -1;
  failureMessage: string | null = null;
  latestAckTimestamp = -1;
  stateSize = 0;
  checkpointedSize = 0;
  processedData = 0;
  persistedData = 0;
  numAcknowledgedSubtasks = 0;
  private readonly tasks = new Map<JobVertexID, TaskRecord>();

  constructor(private readonly info: PendingCheckpointStatsInfo) {
    this.checkpointId = info.checkpointId;
    for (const [jobVertexId, parallelism] of info.vertexToParallelism) {
      this.tasks.set(jobVertexId, new TaskRecord(jobVertexId, parallelism));
    }
  }

  isSavepoint(): boolean {
    return isSavepoint(this.info.snapshotType);
  }

  reportSubtask(
    jobVertexId: JobVertexID,
    subtaskIndex: number,
    ackTimestamp: number,
    metrics: CheckpointMetrics,
  ): boolean {
    const task = this.tasks.get(jobVertexId);
    const subtask: SubtaskCheckpointStats = {
      index: subtaskIndex,
      ackTimestamp,
      endToEndDurationMs: Math.max(0, ackTimestamp - this.info.triggerTimestamp),
      stateSize: metrics.stateSize,
      checkpointedSize: metrics.stateSize,
      syncDurationMs: metrics.syncDurationMs,
      asyncDurationMs: metrics.asyncDurationMs,
      alignmentDurationMs: metrics.alignmentDurationMs,
      processedData: metrics.bytesProcessedDuringAlignment,
      persistedData: 0,
      startDelayMs: metrics.checkpointStartDelayMs,
      unalignedCheckpoint: false,
    };
    if (task?.report(subtask) !== true) return false;
    this.numAcknowledgedSubtasks++;
    this.latestAckTimestamp = Math.max(this.latestAckTimestamp, ackTimestamp);
    this.stateSize += subtask.stateSize;
    this.checkpointedSize += subtask.checkpointedSize;
    this.processedData += subtask.processedData;
    this.persistedData += subtask.persistedData;
    return true;
  }

  endToEndDuration(): number {
    const end = this.status === 'FAILED' ? this.failureTimestamp : this.latestAckTimestamp;
    return Math.max(0, end - this.info.triggerTimestamp);
  }

  toStats(): CheckpointStats {
    const tasks: Record<JobVertexID, TaskCheckpointStats> = {};
    let numSubtasks = 0;
    for (const [jobVertexId, task] of this.tasks) {
      tasks[jobVertexId] = task.toStats(this.status, this.info.triggerTimestamp);
      numSubtasks += task.numSubtasks;
    }
    const base = {
      checkpointId: this.checkpointId,
      isSavepoint: this.isSavepoint(),
      snapshotType: this.info.snapshotType,
      savepointFormat: this.info.savepointFormat ?? null,
      triggerTimestamp: this.info.triggerTimestamp,
      latestAckTimestamp: this.latestAckTimestamp,
      checkpointedSize: this.checkpointedSize,
      stateSize: this.stateSize,
      endToEndDurationMs: this.endToEndDuration(),
      alignmentBuffered: 0,
      processedData: this.processedData,
      persistedData: this.persistedData,
      numSubtasks,
      numAcknowledgedSubtasks: this.numAcknowledgedSubtasks,
      tasks,
    };
    switch (this.status) {
      case 'IN_PROGRESS':
        return { ...base, status: 'IN_PROGRESS' };
      case 'COMPLETED':
        return { ...base, status: 'COMPLETED', externalPath: this.externalPath, discarded: this.discarded };
      case 'FAILED':
        return {
          ...base,
          status: 'FAILED',
          failureTimestamp: this.failureTimestamp,
          failureMessage: this.failureMessage,
        };
    }
  }
}

/** The mutable statistics of one job vertex in one checkpoint. */
class TaskRecord {
  private readonly subtasks: (SubtaskCheckpointStats | null)[];
  private numAcknowledged = 0;
  private latestAckTimestamp = -1;
  private readonly sums = { stateSize: 0, checkpointedSize: 0, processedData: 0, persistedData: 0 };
  private readonly summary = {
    stateSize: new StatsSummary(0),
    checkpointedSize: new StatsSummary(0),
    endToEndDuration: new StatsSummary(0),
    syncDuration: new StatsSummary(0),
    asyncDuration: new StatsSummary(0),
    alignmentDuration: new StatsSummary(0),
    processedData: new StatsSummary(0),
    persistedData: new StatsSummary(0),
    startDelay: new StatsSummary(0),
  };

  constructor(
    readonly jobVertexId: JobVertexID,
    readonly numSubtasks: number,
  ) {
    this.subtasks = new Array<SubtaskCheckpointStats | null>(numSubtasks).fill(null);
  }

  /** Records a subtask's first acknowledgement; false for an unknown index or a repeated one. */
  report(subtask: SubtaskCheckpointStats): boolean {
    if (subtask.index < 0 || subtask.index >= this.numSubtasks || this.subtasks[subtask.index] !== null) {
      return false;
    }
    this.subtasks[subtask.index] = subtask;
    this.numAcknowledged++;
    this.latestAckTimestamp = Math.max(this.latestAckTimestamp, subtask.ackTimestamp);
    this.sums.stateSize += subtask.stateSize;
    this.sums.checkpointedSize += subtask.checkpointedSize;
    this.sums.processedData += subtask.processedData;
    this.sums.persistedData += subtask.persistedData;
    this.summary.stateSize.add(subtask.stateSize);
    this.summary.checkpointedSize.add(subtask.checkpointedSize);
    this.summary.endToEndDuration.add(subtask.endToEndDurationMs);
    this.summary.syncDuration.add(subtask.syncDurationMs);
    this.summary.asyncDuration.add(subtask.asyncDurationMs);
    this.summary.alignmentDuration.add(subtask.alignmentDurationMs);
    this.summary.processedData.add(subtask.processedData);
    this.summary.persistedData.add(subtask.persistedData);
    this.summary.startDelay.add(subtask.startDelayMs);
    return true;
  }

  toStats(status: CheckpointStatsStatus, triggerTimestamp: number): TaskCheckpointStats {
    const s = this.summary;
    return {
      jobVertexId: this.jobVertexId,
      status,
      latestAckTimestamp: this.latestAckTimestamp,
      ...this.sums,
      endToEndDurationMs:
        this.latestAckTimestamp < 0 ? -1 : Math.max(0, this.latestAckTimestamp - triggerTimestamp),
      alignmentBuffered: 0,
      numSubtasks: this.numSubtasks,
      numAcknowledgedSubtasks: this.numAcknowledged,
      summary: {
        stateSize: s.stateSize.minMaxAvg(),
        checkpointedSize: s.checkpointedSize.minMaxAvg(),
        endToEndDuration: s.endToEndDuration.minMaxAvg(),
        syncDuration: s.syncDuration.minMaxAvg(),
        asyncDuration: s.asyncDuration.minMaxAvg(),
        alignmentDuration: s.alignmentDuration.minMaxAvg(),
        processedData: s.processedData.minMaxAvg(),
        persistedData: s.persistedData.minMaxAvg(),
        startDelay: s.startDelay.minMaxAvg(),
      },
      subtasks: [...this.subtasks],
    };
  }
}
