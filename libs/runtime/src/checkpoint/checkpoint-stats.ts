import type { JobVertexID } from '../core/ids.js';
import type { SavepointFormatType, SnapshotType } from './checkpoint-types.js';

/**
 * Plain-data checkpoint statistics, shaped like Flink's REST `CheckpointingStatistics` so that the
 * REST service maps them field by field: camelCase here, snake_case on the wire
 * (`endToEndDurationMs` → `end_to_end_duration`, `numAcknowledgedSubtasks` →
 * `num_acknowledged_subtasks`, `inProgress` → `in_progress`, …). Sizes are bytes, times are
 * wall-clock milliseconds, durations milliseconds.
 */

/** Flink's `web.checkpoints.history` default: checkpoints kept in the history. */
export const DEFAULT_CHECKPOINT_HISTORY_SIZE = 10;
/** Window of the percentile histograms (Flink's CompletedCheckpointStatsSummary). */
export const STATS_HISTOGRAM_WINDOW_SIZE = 10_000;

/** Status of a checkpoint in the statistics (REST `status`). */
export type CheckpointStatsStatus = 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';

/** REST `counts`. `total` counts every triggered checkpoint (in progress, completed or failed). */
export interface CheckpointStatsCounts {
  readonly restored: number;
  readonly total: number;
  readonly inProgress: number;
  readonly completed: number;
  readonly failed: number;
}

/** REST `MinMaxAvgStatistics`: over all values seen; `avg` is an integer (Java long division). 0 when empty. */
export interface MinMaxAvgStats {
  readonly min: number;
  readonly max: number;
  readonly avg: number;
}

/** REST `StatsSummaryDto`: min/max/avg over all values, percentiles over the last 10,000. */
export interface StatsSummarySnapshot extends MinMaxAvgStats {
  readonly p50: number;
  readonly p90: number;
  readonly p95: number;
  readonly p99: number;
  readonly p999: number;
}

/** REST `summary`, over completed checkpoints (and savepoints). */
export interface CompletedCheckpointStatsSummarySnapshot {
  readonly checkpointedSize: StatsSummarySnapshot;
  readonly stateSize: StatsSummarySnapshot;
  readonly endToEndDuration: StatsSummarySnapshot;
  /** Deprecated in Flink (always 0); kept for the REST shape. */
  readonly alignmentBuffered: StatsSummarySnapshot;
  readonly processedData: StatsSummarySnapshot;
  readonly persistedData: StatsSummarySnapshot;
}

/** One acknowledged subtask (REST `SubtaskCheckpointStatistics.CompletedSubtaskCheckpointStatistics`). */
export interface SubtaskCheckpointStats {
  readonly index: number;
  readonly ackTimestamp: number;
  /** From the trigger to this subtask's acknowledgement. */
  readonly endToEndDurationMs: number;
  readonly stateSize: number;
  readonly checkpointedSize: number;
  readonly syncDurationMs: number;
  readonly asyncDurationMs: number;
  readonly alignmentDurationMs: number;
  /** Bytes processed during alignment (REST `alignment.processed`). */
  readonly processedData: number;
  /** Bytes persisted during alignment (unaligned checkpoints; always 0 here). */
  readonly persistedData: number;
  readonly startDelayMs: number;
  readonly unalignedCheckpoint: boolean;
}

/** Min/max/avg over a task's acknowledged subtasks (REST `TaskCheckpointStatisticsWithSubtaskDetails.Summary`). */
export interface TaskCheckpointStatsSummary {
  readonly stateSize: MinMaxAvgStats;
  readonly checkpointedSize: MinMaxAvgStats;
  readonly endToEndDuration: MinMaxAvgStats;
  readonly syncDuration: MinMaxAvgStats;
  readonly asyncDuration: MinMaxAvgStats;
  readonly alignmentDuration: MinMaxAvgStats;
  readonly processedData: MinMaxAvgStats;
  readonly persistedData: MinMaxAvgStats;
  readonly startDelay: MinMaxAvgStats;
}

/** One job vertex in one checkpoint (REST `TaskCheckpointStatistics` plus subtask details). */
export interface TaskCheckpointStats {
  readonly jobVertexId: JobVertexID;
  readonly status: CheckpointStatsStatus;
  /** -1 while no subtask acknowledged. */
  readonly latestAckTimestamp: number;
  readonly checkpointedSize: number;
  readonly stateSize: number;
  /** From the trigger to the latest acknowledgement; -1 while no subtask acknowledged. */
  readonly endToEndDurationMs: number;
  readonly alignmentBuffered: number;
  readonly processedData: number;
  readonly persistedData: number;
  readonly numSubtasks: number;
  readonly numAcknowledgedSubtasks: number;
  readonly summary: TaskCheckpointStatsSummary;
  /** By subtask index; null for a subtask that has not acknowledged (REST `pending_or_failed`). */
  readonly subtasks: readonly (SubtaskCheckpointStats | null)[];
}

/** What every checkpoint's statistics carry (REST `CheckpointStatistics`). */
interface CheckpointStatsBase {
  readonly checkpointId: number;
  readonly isSavepoint: boolean;
  /** REST `checkpoint_type` (CHECKPOINT / SAVEPOINT / SYNC_SAVEPOINT). */
  readonly snapshotType: SnapshotType;
  /** REST `savepointFormat`; null for checkpoints. */
  readonly savepointFormat: SavepointFormatType | null;
  readonly triggerTimestamp: number;
  /** -1 while no subtask acknowledged. */
  readonly latestAckTimestamp: number;
  readonly checkpointedSize: number;
  readonly stateSize: number;
  /** From the trigger to the latest acknowledgement (0 before any). */
  readonly endToEndDurationMs: number;
  readonly alignmentBuffered: number;
  readonly processedData: number;
  readonly persistedData: number;
  readonly numSubtasks: number;
  readonly numAcknowledgedSubtasks: number;
  /** By job vertex ID (REST `tasks`). */
  readonly tasks: Readonly<Record<JobVertexID, TaskCheckpointStats>>;
}

export interface PendingCheckpointStats extends CheckpointStatsBase {
  readonly status: 'IN_PROGRESS';
}

export interface CompletedCheckpointStats extends CheckpointStatsBase {
  readonly status: 'COMPLETED';
  readonly externalPath: string;
  /** Whether the checkpoint's files were deleted since (subsumed or discarded at job end). */
  readonly discarded: boolean;
}

export interface FailedCheckpointStats extends CheckpointStatsBase {
  readonly status: 'FAILED';
  readonly failureTimestamp: number;
  readonly failureMessage: string | null;
}

/** One checkpoint's statistics; `status` tells which (REST `className` in_progress/completed/failed). */
export type CheckpointStats = PendingCheckpointStats | CompletedCheckpointStats | FailedCheckpointStats;

/** REST `latest.restored`. */
export interface RestoredCheckpointStats {
  readonly checkpointId: number;
  readonly restoreTimestamp: number;
  readonly isSavepoint: boolean;
  /** Null when the restored snapshot has no external pointer. */
  readonly externalPath: string | null;
}

/** REST `latest`. */
export interface LatestCheckpoints {
  readonly completed: CompletedCheckpointStats | null;
  readonly savepoint: CompletedCheckpointStats | null;
  readonly failed: FailedCheckpointStats | null;
  readonly restored: RestoredCheckpointStats | null;
}

/** Everything REST `GET /jobs/:jobid/checkpoints` shows, as a snapshot (Flink's CheckpointStatsSnapshot). */
export interface CheckpointStatsSnapshot {
  readonly counts: CheckpointStatsCounts;
  readonly summary: CompletedCheckpointStatsSummarySnapshot;
  readonly latest: LatestCheckpoints;
  /** The last {@link DEFAULT_CHECKPOINT_HISTORY_SIZE} checkpoints, newest first. */
  readonly history: readonly CheckpointStats[];
}

/**
 * The checkpoint with `checkpointId` in a snapshot: from the history, or one of the latest ones
 * (which stay visible after they left the history), as REST `checkpoints/details/:id` looks it up.
 */
export function findCheckpointStats(
  snapshot: CheckpointStatsSnapshot,
  checkpointId: number,
): CheckpointStats | undefined {
  const { completed, savepoint, failed } = snapshot.latest;
  return (
    snapshot.history.find((cp) => cp.checkpointId === checkpointId) ??
    [completed, savepoint, failed].find((cp) => cp?.checkpointId === checkpointId) ??
    undefined
  );
}

/**
 * Running min/max/avg of non-negative values over everything added, plus percentiles over the last
 * `windowSize` values (Flink's StatsSummary with its DescriptiveStatisticsHistogram). Negative
 * values (unknown) are ignored.
 */
export class StatsSummary {
  private count = 0;
  private sum = 0;
  private min = 0;
  private max = 0;
  private readonly window: number[] = [];
  private nextWindowPos = 0;

  /** @param windowSize values kept for percentiles; 0 keeps none. Default {@link STATS_HISTOGRAM_WINDOW_SIZE}. */
  constructor(private readonly windowSize: number = STATS_HISTOGRAM_WINDOW_SIZE) {}

  add(value: number): void {
    if (!(value >= 0)) return;
    this.min = this.count === 0 ? value : Math.min(this.min, value);
    this.max = this.count === 0 ? value : Math.max(this.max, value);
    this.count++;
    this.sum += value;
    if (this.windowSize > 0) {
      if (this.window.length < this.windowSize) {
        this.window.push(value);
      } else {
        this.window[this.nextWindowPos] = value;
        this.nextWindowPos = (this.nextWindowPos + 1) % this.windowSize;
      }
    }
  }

  getCount(): number {
    return this.count;
  }

  minMaxAvg(): MinMaxAvgStats {
    return this.count === 0
      ? { min: 0, max: 0, avg: 0 }
      : { min: this.min, max: this.max, avg: Math.trunc(this.sum / this.count) };
  }

  /** Percentiles are 0 while nothing was added (Flink would report NaN, which JSON cannot carry). */
  snapshot(): StatsSummarySnapshot {
    const sorted = [...this.window].sort((a, b) => a - b);
    return {
      ...this.minMaxAvg(),
      p50: percentile(sorted, 0.5),
      p90: percentile(sorted, 0.9),
      p95: percentile(sorted, 0.95),
      p99: percentile(sorted, 0.99),
      p999: percentile(sorted, 0.999),
    };
  }
}

/** An all-zero summary (the deprecated `alignment_buffered`). */
export const ZERO_STATS_SUMMARY: StatsSummarySnapshot = {
  min: 0,
  max: 0,
  avg: 0,
  p50: 0,
  p90: 0,
  p95: 0,
  p99: 0,
  p999: 0,
};

/**
 * The `q` quantile (0 < q <= 1) of ascending `sorted` values, estimated as Apache Commons Math's
 * default (LEGACY) Percentile does, which Flink's histograms use: position q·(n+1), interpolated
 * between its neighbours and clamped to the first and last values.
 */
export function percentile(sorted: readonly number[], q: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  if (n === 1) return sorted[0] ?? 0;
  const pos = q === 1 ? n : q * (n + 1);
  if (pos < 1) return sorted[0] ?? 0;
  if (pos >= n) return sorted[n - 1] ?? 0;
  const lowerIndex = Math.floor(pos);
  const lower = sorted[lowerIndex - 1] ?? 0;
  const upper = sorted[lowerIndex] ?? 0;
  return lower + (pos - lowerIndex) * (upper - lower);
}
