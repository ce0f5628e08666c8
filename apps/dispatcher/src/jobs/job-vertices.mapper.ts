import {
  EXECUTION_STATES,
  ExecutionState,
  aggregateExecutionState,
  emptyStateCounts,
  isTerminalExecutionState,
  taskManagerEndpoint,
} from '@eddy/runtime';
import type { ArchivedExecutionJobVertexJson, ArchivedExecutionJson } from '@eddy/runtime';
import type { ResponseBody } from '../common/dto/response-body.js';
import type {
  IOMetricsInfoDto,
  JobVertexDetailsInfoWithSubtasksDto,
  JobVertexTaskManagersInfoDto,
  SubtaskExecutionAttemptDetailsInfoDto,
  SubtasksTimesInfoDto,
  VertexTaskManagerInfoDto,
} from './dto/job-vertex.dto.js';

/** What Flink shows for an attempt that has no TaskManager yet. */
const UNASSIGNED = '(unassigned)';

function endpointOf(execution: ArchivedExecutionJson): string {
  return execution.location !== undefined ? taskManagerEndpoint(execution.location) : UNASSIGNED;
}

/** Flink's IOMetricsInfo summed over attempts; Eddy counts records, not bytes or busy time. */
function toIOMetrics(executions: readonly ArchivedExecutionJson[]): ResponseBody<IOMetricsInfoDto> {
  let read = 0;
  let written = 0;
  let complete = true;
  for (const execution of executions) {
    const metrics = execution.ioMetrics;
    if (metrics === undefined) {
      complete = false;
      continue;
    }
    read += metrics.numRecordsIn;
    written += metrics.numRecordsOut;
  }
  return {
    'read-bytes': 0,
    'read-bytes-complete': complete,
    'write-bytes': 0,
    'write-bytes-complete': complete,
    'read-records': read,
    'read-records-complete': complete,
    'write-records': written,
    'write-records-complete': complete,
    'accumulated-backpressured-time': 0,
    'accumulated-idle-time': 0,
    'accumulated-busy-time': 0,
  };
}

/** Flink's SubtaskExecutionAttemptDetailsInfo of a subtask's current attempt. */
function toSubtaskDetails(
  subtask: number,
  execution: ArchivedExecutionJson,
  now: number,
): ResponseBody<SubtaskExecutionAttemptDetailsInfoDto> {
  const start = execution.stateTimestamps.DEPLOYING;
  const end = isTerminalExecutionState(execution.state) ? execution.stateTimestamps[execution.state] : -1;
  return {
    subtask,
    status: execution.state,
    attempt: execution.attemptNumber,
    endpoint: endpointOf(execution),
    'start-time': start,
    'end-time': end,
    duration: start > 0 ? (end > 0 ? end : now) - start : -1,
    metrics: toIOMetrics([execution]),
    'taskmanager-id': execution.location?.resourceId ?? UNASSIGNED,
  };
}

export function toVertexDetailsWithSubtasks(
  vertex: ArchivedExecutionJobVertexJson,
  now: number,
): ResponseBody<JobVertexDetailsInfoWithSubtasksDto> {
  return {
    id: vertex.id,
    name: vertex.name,
    parallelism: vertex.parallelism,
    maxParallelism: vertex.maxParallelism,
    now,
    subtasks: vertex.subtasks.map((subtask) =>
      toSubtaskDetails(subtask.subtaskIndex, subtask.currentExecution, now),
    ),
  };
}

/** Flink's SubtasksTimesInfo: each current attempt's state timestamps, timed from SCHEDULED. */
export function toSubtasksTimes(
  vertex: ArchivedExecutionJobVertexJson,
  now: number,
): ResponseBody<SubtasksTimesInfoDto> {
  return {
    id: vertex.id,
    name: vertex.name,
    now,
    subtasks: vertex.subtasks.map((subtask) => {
      const execution = subtask.currentExecution;
      const scheduled = execution.stateTimestamps.SCHEDULED;
      const end = isTerminalExecutionState(execution.state)
        ? execution.stateTimestamps[execution.state]
        : now;
      const timestamps: Record<string, number> = {};
      for (const state of EXECUTION_STATES) timestamps[state] = execution.stateTimestamps[state];
      const endpoint = endpointOf(execution);
      return {
        subtask: subtask.subtaskIndex,
        host: endpoint,
        endpoint,
        duration: scheduled > 0 ? end - scheduled : -1,
        timestamps,
      };
    }),
  };
}

/** Flink's JobVertexTaskManagersInfo: the vertex's current attempts grouped by TaskManager. */
export function toVertexTaskManagers(
  vertex: ArchivedExecutionJobVertexJson,
  now: number,
): ResponseBody<JobVertexTaskManagersInfoDto> {
  const groups = new Map<string, { taskManagerId: string; executions: ArchivedExecutionJson[] }>();
  for (const subtask of vertex.subtasks) {
    const execution = subtask.currentExecution;
    const endpoint = endpointOf(execution);
    const group = groups.get(endpoint) ?? {
      taskManagerId: execution.location?.resourceId ?? UNASSIGNED,
      executions: [],
    };
    group.executions.push(execution);
    groups.set(endpoint, group);
  }
  const taskmanagers = [...groups].map(
    ([endpoint, { taskManagerId, executions }]): ResponseBody<VertexTaskManagerInfoDto> => {
      const counts = emptyStateCounts();
      let start = Number.MAX_SAFE_INTEGER;
      let end = 0;
      let allTerminal = true;
      for (const execution of executions) {
        counts[execution.state] += 1;
        const deployed = execution.stateTimestamps.DEPLOYING;
        if (deployed > 0) start = Math.min(start, deployed);
        allTerminal &&= isTerminalExecutionState(execution.state);
        end = Math.max(end, execution.stateTimestamps[execution.state]);
      }
      let duration: number;
      if (start === Number.MAX_SAFE_INTEGER) {
        start = -1;
        end = -1;
        duration = -1;
      } else if (allTerminal) {
        duration = end - start;
      } else {
        end = -1;
        duration = now - start;
      }
      const statusCounts: Record<string, number> = {};
      for (const state of EXECUTION_STATES) statusCounts[state] = counts[state];
      return {
        endpoint,
        'taskmanager-id': taskManagerId,
        status:
          executions.length > 0 ? aggregateExecutionState(counts, executions.length) : ExecutionState.CREATED,
        'start-time': start,
        'end-time': end,
        duration,
        metrics: toIOMetrics(executions),
        'status-counts': statusCounts,
      };
    },
  );
  return { id: vertex.id, name: vertex.name, now, taskmanagers };
}
