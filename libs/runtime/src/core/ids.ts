import { createHash, randomBytes } from 'node:crypto';

import { IllegalArgumentError } from './errors.js';

/**
 * Typed identifiers. On the wire every ID is Flink's form (a 32-char lowercase hex string for the
 * random ones); in code each concept has its own branded type so that a JobID can never be passed
 * where a JobVertexID is expected.
 */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

const HEX_ID = /^[0-9a-f]{32}$/;

function randomHexId(): string {
  return randomBytes(16).toString('hex');
}

function parseHexId<T extends string>(kind: string, value: string): T {
  const normalized = value.toLowerCase();
  if (!HEX_ID.test(normalized)) {
    throw new IllegalArgumentError(
      `Cannot parse ${kind} from '${value}': expected 32 hexadecimal characters.`,
    );
  }
  return normalized as T;
}

/** The operations every random 32-hex ID type offers. */
export interface HexIdFactory<T extends string> {
  generate(): T;
  fromHexString(hex: string): T;
  isValid(value: string): value is T;
}

function hexIdFactory<T extends string>(kind: string): HexIdFactory<T> {
  return {
    generate: () => randomHexId() as T,
    fromHexString: (hex) => parseHexId<T>(kind, hex),
    isValid: (value): value is T => HEX_ID.test(value),
  };
}

export type JobID = Brand<string, 'JobID'>;
export const JobID: HexIdFactory<JobID> = hexIdFactory<JobID>('JobID');

export type JobVertexID = Brand<string, 'JobVertexID'>;
export const JobVertexID: HexIdFactory<JobVertexID> = hexIdFactory<JobVertexID>('JobVertexID');

export type IntermediateDataSetID = Brand<string, 'IntermediateDataSetID'>;
export const IntermediateDataSetID: HexIdFactory<IntermediateDataSetID> =
  hexIdFactory<IntermediateDataSetID>('IntermediateDataSetID');

export type ExecutionGraphID = Brand<string, 'ExecutionGraphID'>;
export const ExecutionGraphID: HexIdFactory<ExecutionGraphID> =
  hexIdFactory<ExecutionGraphID>('ExecutionGraphID');

export type AllocationID = Brand<string, 'AllocationID'>;
export const AllocationID: HexIdFactory<AllocationID> = hexIdFactory<AllocationID>('AllocationID');

export type SlotRequestId = Brand<string, 'SlotRequestId'>;
export const SlotRequestId: HexIdFactory<SlotRequestId> = hexIdFactory<SlotRequestId>('SlotRequestId');

/** Fencing token of a JobMaster leader: a message carrying another one is rejected. */
export type JobMasterId = Brand<string, 'JobMasterId'>;
export const JobMasterId: HexIdFactory<JobMasterId> = hexIdFactory<JobMasterId>('JobMasterId');

/** Fencing token of a ResourceManager leader. */
export type ResourceManagerId = Brand<string, 'ResourceManagerId'>;
export const ResourceManagerId: HexIdFactory<ResourceManagerId> =
  hexIdFactory<ResourceManagerId>('ResourceManagerId');

export type TriggerId = Brand<string, 'TriggerId'>;
export const TriggerId: HexIdFactory<TriggerId> = hexIdFactory<TriggerId>('TriggerId');

/**
 * Identifies an operator within a job across runs (Flink's OperatorID): derived from the operator's
 * stable uid, so that state in a savepoint finds its operator after the job is changed or rescaled.
 */
export type OperatorID = Brand<string, 'OperatorID'>;
export const OperatorID = {
  ...hexIdFactory<OperatorID>('OperatorID'),
  /** The ID of the operator with this uid: the first 32 hex digits of its SHA-256. */
  fromUid(uid: string): OperatorID {
    return createHash('sha256').update(uid, 'utf8').digest('hex').slice(0, 32) as OperatorID;
  },
};

/** Identifies a TaskExecutor (or a JobMaster) process; any non-empty string, as in Flink. */
export type ResourceID = Brand<string, 'ResourceID'>;
export const ResourceID = {
  generate: (): ResourceID => randomHexId() as ResourceID,
  of(value: string): ResourceID {
    if (value.length === 0) throw new IllegalArgumentError('A ResourceID must not be empty.');
    return value as ResourceID;
  },
};

/** One parallel subtask of a job vertex: `<jobVertexId>_<subtaskIndex>`, Flink's string form. */
export type ExecutionVertexID = Brand<string, 'ExecutionVertexID'>;
export const ExecutionVertexID = {
  of(jobVertexId: JobVertexID, subtaskIndex: number): ExecutionVertexID {
    return `${jobVertexId}_${subtaskIndex}` as ExecutionVertexID;
  },
  jobVertexId(id: ExecutionVertexID): JobVertexID {
    return id.slice(0, 32) as JobVertexID;
  },
  subtaskIndex(id: ExecutionVertexID): number {
    return Number(id.slice(33));
  },
};

/**
 * One attempt to run an execution vertex: `<executionGraphId>_<jobVertexId>_<subtaskIndex>_<attempt>`,
 * Flink's string form. Every restart creates a new attempt.
 */
export type ExecutionAttemptID = Brand<string, 'ExecutionAttemptID'>;
export const ExecutionAttemptID = {
  of(graphId: ExecutionGraphID, vertexId: ExecutionVertexID, attemptNumber: number): ExecutionAttemptID {
    return `${graphId}_${vertexId}_${attemptNumber}` as ExecutionAttemptID;
  },
  /** An attempt ID with a fresh execution graph ID, for tasks started outside a scheduler. */
  generate(vertexId: ExecutionVertexID, attemptNumber = 0): ExecutionAttemptID {
    return ExecutionAttemptID.of(ExecutionGraphID.generate(), vertexId, attemptNumber);
  },
  executionVertexId(id: ExecutionAttemptID): ExecutionVertexID {
    return id.slice(33, id.lastIndexOf('_')) as ExecutionVertexID;
  },
  attemptNumber(id: ExecutionAttemptID): number {
    return Number(id.slice(id.lastIndexOf('_') + 1));
  },
};

/** A partition of an intermediate result: `<intermediateDataSetId>#<partitionNumber>`. */
export type IntermediateResultPartitionID = Brand<string, 'IntermediateResultPartitionID'>;
export const IntermediateResultPartitionID = {
  of(dataSetId: IntermediateDataSetID, partitionNumber: number): IntermediateResultPartitionID {
    return `${dataSetId}#${partitionNumber}` as IntermediateResultPartitionID;
  },
  dataSetId(id: IntermediateResultPartitionID): IntermediateDataSetID {
    return id.slice(0, 32) as IntermediateDataSetID;
  },
  partitionNumber(id: IntermediateResultPartitionID): number {
    return Number(id.slice(33));
  },
};

/** The partition produced by one attempt: a restarted producer produces a new ResultPartitionID. */
export interface ResultPartitionID {
  readonly partitionId: IntermediateResultPartitionID;
  readonly producerId: ExecutionAttemptID;
}
export const ResultPartitionID = {
  key(id: ResultPartitionID): string {
    return `${id.partitionId}@${id.producerId}`;
  },
};

/** A slot of a TaskExecutor: its ResourceID and the slot's index there. */
export interface SlotID {
  readonly resourceId: ResourceID;
  readonly slotNumber: number;
}
export const SlotID = {
  key(id: SlotID): string {
    return `${id.resourceId}_${id.slotNumber}`;
  },
};
