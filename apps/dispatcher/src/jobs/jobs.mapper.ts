import { EXECUTION_STATES, JOB_STATUSES, JobStatus, isGloballyTerminalState } from '@eddy/runtime';
import type { ArchivedExecutionGraph, ArchivedExecutionJobVertexJson, JobStatusMessage } from '@eddy/runtime';
import type { ResponseBody } from '../common/dto/response-body.js';
import type { JobDetailsInfoDto, JobVertexDetailsInfoDto } from './dto/job-details-info.dto.js';
import type { JobIdWithStatusDto } from './dto/job-status.dto.js';
import type { JobDetailsDto } from './dto/multiple-jobs-details.dto.js';

/** Start, end (-1 while running) and duration of a job, as Flink's handlers compute them. */
function jobTimes(
  graph: ArchivedExecutionGraph,
  now: number,
): { start: number; end: number; duration: number } {
  const start = graph.getStatusTimestamp(JobStatus.INITIALIZING);
  const state = graph.getState();
  const end = isGloballyTerminalState(state) ? graph.getStatusTimestamp(state) : -1;
  return { start, end, duration: (end >= 0 ? end : now) - start };
}

function stateCounts(vertices: readonly ArchivedExecutionJobVertexJson[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const state of EXECUTION_STATES) counts[state] = 0;
  for (const vertex of vertices)
    for (const state of EXECUTION_STATES) counts[state] = (counts[state] ?? 0) + vertex.stateCounts[state];
  return counts;
}

export function toJobIdWithStatus(message: JobStatusMessage): ResponseBody<JobIdWithStatusDto> {
  return { id: message.jobId, status: message.jobState };
}

/** Flink's JobDetails: `tasks` has `total` plus lowercase ExecutionState keys. */
export function toJobDetails(graph: ArchivedExecutionGraph, now: number): ResponseBody<JobDetailsDto> {
  const { start, end, duration } = jobTimes(graph, now);
  const vertices = graph.getAllVertices();
  const counts = stateCounts(vertices);
  const tasks: Record<string, number> = {
    total: vertices.reduce((sum, vertex) => sum + vertex.parallelism, 0),
  };
  for (const state of EXECUTION_STATES) tasks[state.toLowerCase()] = counts[state] ?? 0;
  const timestamps = Object.values(graph.toJson().stateTimestamps);
  return {
    jid: graph.getJobID(),
    name: graph.getJobName(),
    state: graph.getState(),
    'start-time': start,
    'end-time': end,
    duration,
    'last-modification': Math.max(start, ...timestamps),
    tasks,
    'pending-operators': 0,
  };
}

/** Flink's JobVertexDetailsInfo timing: first deployment to the last subtask's end. */
function toVertexDetails(
  vertex: ArchivedExecutionJobVertexJson,
  now: number,
): ResponseBody<JobVertexDetailsInfoDto> {
  let start = Number.MAX_SAFE_INTEGER;
  let end = 0;
  let allTerminal = true;
  for (const subtask of vertex.subtasks) {
    const execution = subtask.currentExecution;
    const deployed = execution.stateTimestamps.DEPLOYING;
    if (deployed > 0) start = Math.min(start, deployed);
    const state = execution.state;
    allTerminal &&= state === 'FINISHED' || state === 'CANCELED' || state === 'FAILED';
    end = Math.max(end, execution.stateTimestamps[state]);
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
  return {
    id: vertex.id,
    name: vertex.name,
    parallelism: vertex.parallelism,
    maxParallelism: vertex.maxParallelism,
    status: vertex.aggregateState,
    'start-time': start,
    'end-time': end,
    duration,
    tasks: stateCounts([vertex]),
  };
}

/** Flink's JobDetailsInfo, without the plan and the metrics. */
export function toJobDetailsInfo(
  graph: ArchivedExecutionGraph,
  now: number,
): ResponseBody<JobDetailsInfoDto> {
  const { start, end, duration } = jobTimes(graph, now);
  const vertices = graph.getAllVertices();
  const timestamps: Record<string, number> = {};
  for (const status of JOB_STATUSES) timestamps[status] = graph.getStatusTimestamp(status);
  return {
    jid: graph.getJobID(),
    name: graph.getJobName(),
    isStoppable: graph.isStoppable(),
    state: graph.getState(),
    'job-type': graph.getJobType(),
    'start-time': start,
    'end-time': end,
    duration,
    maxParallelism: vertices.reduce((max, vertex) => Math.max(max, vertex.maxParallelism), -1),
    now,
    timestamps,
    'status-counts': stateCounts(vertices),
    vertices: vertices.map((vertex) => toVertexDetails(vertex, now)),
  };
}
