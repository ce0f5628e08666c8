/** How producer subtasks connect to consumer subtasks. */
export const DistributionPattern = {
  /** Each producer subtask connects to every consumer subtask. */
  ALL_TO_ALL: 'ALL_TO_ALL',
  /** Each producer subtask connects to one or a few consumer subtasks (Flink's index mapping). */
  POINTWISE: 'POINTWISE',
} as const;
export type DistributionPattern = (typeof DistributionPattern)[keyof typeof DistributionPattern];

/**
 * How a result is exchanged. PIPELINED results stream to consumers that run at the same time
 * (and join producer and consumer into one pipelined region); BLOCKING results are produced
 * completely before consumers start, and can be read again (they separate regions).
 */
export const ResultPartitionType = {
  PIPELINED: 'PIPELINED',
  PIPELINED_BOUNDED: 'PIPELINED_BOUNDED',
  BLOCKING: 'BLOCKING',
} as const;
export type ResultPartitionType = (typeof ResultPartitionType)[keyof typeof ResultPartitionType];

export function isPipelinedResult(type: ResultPartitionType): boolean {
  return type !== ResultPartitionType.BLOCKING;
}

export function isBlockingResult(type: ResultPartitionType): boolean {
  return type === ResultPartitionType.BLOCKING;
}

export const JobType = {
  BATCH: 'BATCH',
  STREAMING: 'STREAMING',
} as const;
export type JobType = (typeof JobType)[keyof typeof JobType];

/** Sentinel for "use the default parallelism" (Flink's ExecutionConfig.PARALLELISM_DEFAULT). */
export const PARALLELISM_DEFAULT = -1;
/** Sentinel for "derive the max parallelism from the parallelism". */
export const MAX_PARALLELISM_DEFAULT = -1;
