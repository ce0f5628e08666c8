import { SerializedError, accumulatorResultValue } from '@eddy/runtime';
import type {
  ArchivedExecutionGraph,
  ExceptionHistoryEntry,
  JobResult,
  SerializedAccumulator,
} from '@eddy/runtime';
import type { ResponseBody } from '../common/dto/response-body.js';
import type { JobAccumulatorsInfoDto, UserTaskAccumulatorDto } from './dto/job-accumulators.dto.js';
import type { JobConfigInfoDto } from './dto/job-config.dto.js';
import type { ExceptionInfoDto, JobExceptionsInfoWithHistoryDto } from './dto/job-exceptions.dto.js';
import type { FailureCauseDto, JobExecutionResultDto } from './dto/job-execution-result.dto.js';
import type { JobPlanDto, JobPlanNodeDto } from './dto/job-plan.dto.js';

/** Flink's JsonPlanGenerator over the archived vertices: one node per vertex, its inputs as edges. */
export function toJobPlan(graph: ArchivedExecutionGraph): ResponseBody<JobPlanDto> {
  const nodes = graph.getAllVertices().map((vertex): ResponseBody<JobPlanNodeDto> => {
    const node: ResponseBody<JobPlanNodeDto> = {
      id: vertex.id,
      parallelism: vertex.parallelism,
      operator: vertex.invokable,
      operator_strategy: '',
      description: vertex.name,
      optimizer_properties: {},
    };
    if (vertex.inputs.length === 0) return node;
    return {
      ...node,
      inputs: vertex.inputs.map((input, num) => ({
        num,
        id: input.source,
        ship_strategy: input.shipStrategy,
        exchange: input.resultPartitionType.toLowerCase(),
      })),
    };
  });
  return { jid: graph.getJobID(), name: graph.getJobName(), type: graph.getJobType(), nodes };
}

/** Flink's restart strategy description for the job's `restart-strategy.type`. */
function describeRestartStrategy(config: Readonly<Record<string, string>>): string {
  const type = (config['restart-strategy.type'] ?? config['restart-strategy'])?.toLowerCase();
  switch (type) {
    case undefined:
      return 'Cluster level default restart strategy';
    case 'none':
    case 'off':
    case 'disable':
      return 'Restart deactivated.';
    case 'fixed-delay':
    case 'fixeddelay':
      return (
        `Restart with fixed delay (${config['restart-strategy.fixed-delay.delay'] ?? '1 s'}). ` +
        `#${config['restart-strategy.fixed-delay.attempts'] ?? '1'} restart attempts.`
      );
    default:
      return `Restart strategy: ${type}.`;
  }
}

/** Flink's JobConfigInfo: the job's configuration as `user-config`. */
export function toJobConfigInfo(graph: ArchivedExecutionGraph): ResponseBody<JobConfigInfoDto> {
  const config = graph.getJobConfiguration().toMap();
  const parallelism = Number(config['parallelism.default']);
  return {
    jid: graph.getJobID(),
    name: graph.getJobName(),
    'execution-config': {
      'job-parallelism': Number.isInteger(parallelism) ? parallelism : -1,
      'object-reuse-mode': config['pipeline.object-reuse']?.toLowerCase() === 'true',
      'restart-strategy': describeRestartStrategy(config),
      'user-config': { ...config },
    },
  };
}

function toExceptionInfo(entry: ExceptionHistoryEntry): ResponseBody<ExceptionInfoDto> {
  const location = entry.taskManagerLocation;
  return {
    exceptionName: entry.exception.name,
    stacktrace: SerializedError.toString(entry.exception),
    timestamp: entry.timestamp,
    ...(entry.failingTaskName !== undefined ? { taskName: entry.failingTaskName } : {}),
    ...(location !== undefined
      ? { endpoint: `${location.host}:${location.dataPort}`, taskManagerId: location.resourceId }
      : {}),
    failureLabels: {},
  };
}

/** Flink's JobExceptionsInfoWithHistory: the newest `maxExceptions` root failures first. */
export function toJobExceptions(
  graph: ArchivedExecutionGraph,
  maxExceptions: number,
): ResponseBody<JobExceptionsInfoWithHistoryDto> {
  const history = [...graph.getExceptionHistory()].reverse();
  return {
    exceptionHistory: {
      entries: history.slice(0, maxExceptions).map((entry) => ({
        ...toExceptionInfo(entry),
        concurrentExceptions: entry.concurrentExceptions.map(toExceptionInfo),
      })),
      truncated: history.length > maxExceptions,
    },
  };
}

/** Flink's accumulator class names (`getClass().getSimpleName()`). */
const ACCUMULATOR_CLASS: Record<SerializedAccumulator['type'], string> = {
  IntCounter: 'IntCounter',
  LongCounter: 'LongCounter',
  DoubleCounter: 'DoubleCounter',
  IntMaximum: 'IntMaximum',
  IntMinimum: 'IntMinimum',
  Average: 'AverageAccumulator',
  List: 'ListAccumulator',
  Histogram: 'Histogram',
};

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  // JSON.stringify returns undefined for undefined, whatever its declared type says.
  const json = JSON.stringify(value) as string | undefined;
  return json ?? String(value);
}

/** Flink's JobAccumulatorsInfo: the job's merged user accumulators, values as text. */
export function toJobAccumulators(
  graph: ArchivedExecutionGraph,
  includeSerializedValue: boolean,
): ResponseBody<JobAccumulatorsInfoDto> {
  const accumulators = Object.entries(graph.getAccumulators());
  return {
    'job-accumulators': [],
    'user-task-accumulators': accumulators.map(
      ([name, accumulator]): ResponseBody<UserTaskAccumulatorDto> => ({
        name,
        type: ACCUMULATOR_CLASS[accumulator.type],
        value: stringify(accumulatorResultValue(accumulator)),
      }),
    ),
    'serialized-user-task-accumulators': includeSerializedValue ? Object.fromEntries(accumulators) : {},
  };
}

function toFailureCause(error: SerializedError): ResponseBody<FailureCauseDto> {
  return { class: error.name, 'stack-trace': SerializedError.toString(error) };
}

/** Flink's JobResult as JobResultSerializer writes it. */
export function toJobExecutionResult(result: JobResult): ResponseBody<JobExecutionResultDto> {
  const failure = result.getSerializedThrowable();
  return {
    id: result.getJobId(),
    'application-status': result.getApplicationStatus(),
    'accumulator-results': result.getAccumulatorResults(),
    'net-runtime': result.getNetRuntime(),
    ...(failure !== undefined ? { 'failure-cause': toFailureCause(failure) } : {}),
  };
}
