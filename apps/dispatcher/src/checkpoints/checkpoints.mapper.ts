import { CHECKPOINTING_DISABLED_INTERVAL, CheckpointRetentionPolicy } from '@eddy/runtime';
import type {
  CheckpointCoordinatorConfigurationJson,
  CheckpointStats,
  CheckpointStatsSnapshot,
  MinMaxAvgStats,
  RestoredCheckpointStats,
  StatsSummarySnapshot,
  TaskCheckpointStats,
} from '@eddy/runtime';
import type { ResponseBody } from '../common/dto/response-body.js';
import type { CheckpointConfigInfoDto } from './dto/checkpoint-config.dto.js';
import type {
  CheckpointStatisticsDto,
  CheckpointingStatisticsDto,
  MinMaxAvgStatisticsDto,
  RestoredCheckpointStatisticsDto,
  StatsSummaryDto,
  TaskCheckpointStatisticsDto,
} from './dto/checkpoint-statistics.dto.js';
import type {
  SubtaskCheckpointStatisticsDto,
  TaskCheckpointStatisticsWithSubtaskDetailsDto,
} from './dto/task-checkpoint-details.dto.js';

function statsSummary(stats: StatsSummarySnapshot): ResponseBody<StatsSummaryDto> {
  const { min, max, avg, p50, p90, p95, p99, p999 } = stats;
  return { min, max, avg, p50, p90, p95, p99, p999 };
}

function minMaxAvg(stats: MinMaxAvgStats): ResponseBody<MinMaxAvgStatisticsDto> {
  return { min: stats.min, max: stats.max, avg: stats.avg };
}

const CLASS_NAMES = { IN_PROGRESS: 'in_progress', COMPLETED: 'completed', FAILED: 'failed' } as const;

/** One task of a checkpoint (Flink's TaskCheckpointStatistics). */
export function toTaskCheckpointStatistics(
  checkpointId: number,
  task: TaskCheckpointStats,
): ResponseBody<TaskCheckpointStatisticsDto> {
  return {
    id: checkpointId,
    status: task.status,
    latest_ack_timestamp: task.latestAckTimestamp,
    checkpointed_size: task.checkpointedSize,
    state_size: task.stateSize,
    end_to_end_duration: task.endToEndDurationMs,
    alignment_buffered: task.alignmentBuffered,
    processed_data: task.processedData,
    persisted_data: task.persistedData,
    num_subtasks: task.numSubtasks,
    num_acknowledged_subtasks: task.numAcknowledgedSubtasks,
  };
}

/** Flink's CheckpointStatistics; `withTasks` fills `tasks` (details), else `{}` (history, latest). */
export function toCheckpointStatistics(
  checkpoint: CheckpointStats,
  withTasks: boolean,
): ResponseBody<CheckpointStatisticsDto> {
  const tasks: Record<string, ResponseBody<TaskCheckpointStatisticsDto>> = {};
  if (withTasks)
    for (const [vertexId, task] of Object.entries(checkpoint.tasks))
      tasks[vertexId] = toTaskCheckpointStatistics(checkpoint.checkpointId, task);
  const common: ResponseBody<CheckpointStatisticsDto> = {
    className: CLASS_NAMES[checkpoint.status],
    id: checkpoint.checkpointId,
    status: checkpoint.status,
    is_savepoint: checkpoint.isSavepoint,
    savepointFormat: checkpoint.savepointFormat,
    trigger_timestamp: checkpoint.triggerTimestamp,
    latest_ack_timestamp: checkpoint.latestAckTimestamp,
    checkpointed_size: checkpoint.checkpointedSize,
    state_size: checkpoint.stateSize,
    end_to_end_duration: checkpoint.endToEndDurationMs,
    alignment_buffered: checkpoint.alignmentBuffered,
    processed_data: checkpoint.processedData,
    persisted_data: checkpoint.persistedData,
    num_subtasks: checkpoint.numSubtasks,
    num_acknowledged_subtasks: checkpoint.numAcknowledgedSubtasks,
    checkpoint_type: checkpoint.snapshotType,
    tasks,
  };
  if (checkpoint.status === 'COMPLETED')
    return { ...common, external_path: checkpoint.externalPath, discarded: checkpoint.discarded };
  if (checkpoint.status === 'FAILED')
    return {
      ...common,
      failure_timestamp: checkpoint.failureTimestamp,
      failure_message: checkpoint.failureMessage,
    };
  return common;
}

function toRestored(restored: RestoredCheckpointStats): ResponseBody<RestoredCheckpointStatisticsDto> {
  return {
    id: restored.checkpointId,
    restore_timestamp: restored.restoreTimestamp,
    is_savepoint: restored.isSavepoint,
    external_path: restored.externalPath,
  };
}

/** `GET /jobs/:jobid/checkpoints` from the job's statistics snapshot. */
export function toCheckpointingStatistics(
  snapshot: CheckpointStatsSnapshot,
): ResponseBody<CheckpointingStatisticsDto> {
  const { counts, summary, latest } = snapshot;
  return {
    counts: {
      restored: counts.restored,
      total: counts.total,
      in_progress: counts.inProgress,
      completed: counts.completed,
      failed: counts.failed,
    },
    summary: {
      checkpointed_size: statsSummary(summary.checkpointedSize),
      state_size: statsSummary(summary.stateSize),
      end_to_end_duration: statsSummary(summary.endToEndDuration),
      alignment_buffered: statsSummary(summary.alignmentBuffered),
      processed_data: statsSummary(summary.processedData),
      persisted_data: statsSummary(summary.persistedData),
    },
    latest: {
      completed: latest.completed === null ? null : toCheckpointStatistics(latest.completed, false),
      savepoint: latest.savepoint === null ? null : toCheckpointStatistics(latest.savepoint, false),
      failed: latest.failed === null ? null : toCheckpointStatistics(latest.failed, false),
      restored: latest.restored === null ? null : toRestored(latest.restored),
    },
    history: snapshot.history.map((checkpoint) => toCheckpointStatistics(checkpoint, false)),
  };
}

/** One task of one checkpoint with its subtasks (TaskCheckpointStatisticsWithSubtaskDetails). */
export function toTaskCheckpointDetails(
  checkpointId: number,
  task: TaskCheckpointStats,
): ResponseBody<TaskCheckpointStatisticsWithSubtaskDetailsDto> {
  const { summary } = task;
  const zero = { min: 0, max: 0, avg: 0 };
  return {
    ...toTaskCheckpointStatistics(checkpointId, task),
    summary: {
      checkpointed_size: minMaxAvg(summary.checkpointedSize),
      state_size: minMaxAvg(summary.stateSize),
      end_to_end_duration: minMaxAvg(summary.endToEndDuration),
      checkpoint_duration: { sync: minMaxAvg(summary.syncDuration), async: minMaxAvg(summary.asyncDuration) },
      alignment: {
        buffered: zero,
        processed: minMaxAvg(summary.processedData),
        persisted: minMaxAvg(summary.persistedData),
        duration: minMaxAvg(summary.alignmentDuration),
      },
      start_delay: minMaxAvg(summary.startDelay),
    },
    subtasks: task.subtasks.map((subtask, index): ResponseBody<SubtaskCheckpointStatisticsDto> => {
      if (subtask === null) return { index, status: 'pending_or_failed' };
      return {
        index: subtask.index,
        status: 'completed',
        ack_timestamp: subtask.ackTimestamp,
        end_to_end_duration: subtask.endToEndDurationMs,
        state_size: subtask.stateSize,
        checkpointed_size: subtask.checkpointedSize,
        processed_data: subtask.processedData,
        persisted_data: subtask.persistedData,
        checkpoint: { sync: subtask.syncDurationMs, async: subtask.asyncDurationMs },
        alignment: {
          buffered: 0,
          processed: subtask.processedData,
          persisted: subtask.persistedData,
          duration: subtask.alignmentDurationMs,
        },
        start_delay: subtask.startDelayMs,
        unaligned_checkpoint: subtask.unalignedCheckpoint,
        aborted: false,
      };
    }),
  };
}

/** `GET /jobs/:jobid/checkpoints/config` from the coordinator configuration and the job's storage. */
export function toCheckpointConfigInfo(
  config: CheckpointCoordinatorConfigurationJson,
  checkpointStorage: string,
): ResponseBody<CheckpointConfigInfoDto> {
  const retention = config.checkpointRetentionPolicy;
  return {
    mode: config.exactlyOnce ? 'exactly_once' : 'at_least_once',
    interval:
      config.checkpointInterval >= CHECKPOINTING_DISABLED_INTERVAL
        ? CHECKPOINTING_DISABLED_INTERVAL
        : config.checkpointInterval,
    timeout: config.checkpointTimeout,
    min_pause: config.minPauseBetweenCheckpoints,
    max_concurrent: config.maxConcurrentCheckpoints,
    externalization: {
      enabled: retention !== CheckpointRetentionPolicy.NEVER_RETAIN_AFTER_TERMINATION,
      delete_on_cancellation: retention !== CheckpointRetentionPolicy.RETAIN_ON_CANCELLATION,
    },
    state_backend: 'hashmap',
    checkpoint_storage: checkpointStorage,
    unaligned_checkpoints: config.unalignedCheckpointsEnabled,
    tolerable_failed_checkpoints: config.tolerableCheckpointFailureNumber,
    aligned_checkpoint_timeout: 0,
    checkpoints_after_tasks_finish: true,
    state_changelog_enabled: false,
    changelog_periodic_materialization_interval: 600_000,
    changelog_storage: 'memory',
  };
}
