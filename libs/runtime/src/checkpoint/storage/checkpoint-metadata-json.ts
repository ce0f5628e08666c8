import { OperatorStateDistributionMode } from '../../state/state-handles.js';
import { SnapshotType } from '../checkpoint-types.js';
import { InvalidSnapshotError } from './checkpoint-storage-errors.js';
import { isContainedRelativePath } from './storage-file-system.js';

import type { CheckpointMetadataJson } from './checkpoint-storage.js';

/** The `_metadata` format version this code writes and reads. */
export const CHECKPOINT_METADATA_VERSION = 1;

/** `_metadata` content as written: pretty JSON, so a savepoint can be inspected by hand. */
export function checkpointMetadataToText(metadata: CheckpointMetadataJson): string {
  return JSON.stringify(metadata, null, 2);
}

/** `_metadata` content as UTF-8 bytes (see {@link checkpointMetadataToText}). */
export function serializeCheckpointMetadata(metadata: CheckpointMetadataJson): Uint8Array {
  return Buffer.from(checkpointMetadataToText(metadata), 'utf8');
}

/**
 * Reads `_metadata` content and checks its shape (version, fields, every state handle), so that a
 * wrong or damaged file fails here, naming `source`, rather than later inside a restoring task.
 */
export function parseCheckpointMetadata(text: string, source: string): CheckpointMetadataJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidSnapshotError(source, `${source} is not a valid checkpoint _metadata: not JSON.`, {
      cause: error,
    });
  }
  const problem = findProblem(value);
  if (problem !== null) {
    throw new InvalidSnapshotError(source, `${source} is not a valid checkpoint _metadata: ${problem}.`);
  }
  return value as CheckpointMetadataJson;
}

type Json = Record<string, unknown>;

const MODES: readonly unknown[] = Object.values(OperatorStateDistributionMode);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A parsed JSON value for a message (undefined when the field is missing). */
function show(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

function isCount(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

/** The first thing wrong with a parsed `_metadata`, or null when it is well formed. */
function findProblem(value: unknown): string | null {
  if (!isObject(value)) return 'expected a JSON object';
  if (value.version !== CHECKPOINT_METADATA_VERSION) {
    return `unsupported version ${show(value.version)} (expected ${CHECKPOINT_METADATA_VERSION})`;
  }
  if (typeof value.jobId !== 'string' || value.jobId === '') return 'field jobId must be a non-empty string';
  if (!isCount(value.checkpointId, 0)) return 'field checkpointId must be a whole number >= 0';
  if (typeof value.timestamp !== 'number' || !Number.isFinite(value.timestamp)) {
    return 'field timestamp must be a number';
  }
  if (!(Object.values(SnapshotType) as unknown[]).includes(value.snapshotType)) {
    return `field snapshotType must be one of ${Object.values(SnapshotType).join(', ')}`;
  }
  if (!Array.isArray(value.operators)) return 'field operators must be an array';
  const seen = new Set<string>();
  for (const [index, operator] of (value.operators as unknown[]).entries()) {
    const problem = findOperatorProblem(operator);
    if (problem !== null) return `operators[${index}]: ${problem}`;
    const id = (operator as Json).operatorId as string;
    if (seen.has(id)) return `operators[${index}]: operator ${id} appears twice`;
    seen.add(id);
  }
  return null;
}

function findOperatorProblem(operator: unknown): string | null {
  if (!isObject(operator)) return 'expected an object';
  if (typeof operator.operatorId !== 'string' || operator.operatorId === '') {
    return 'field operatorId must be a non-empty string';
  }
  if (operator.uid !== undefined && typeof operator.uid !== 'string') return 'field uid must be a string';
  if (!isCount(operator.parallelism, 1)) return 'field parallelism must be a whole number >= 1';
  if (!isCount(operator.maxParallelism, 1)) return 'field maxParallelism must be a whole number >= 1';
  if (!isObject(operator.subtaskStates)) return 'field subtaskStates must be an object';
  for (const [key, state] of Object.entries(operator.subtaskStates)) {
    const index = Number(key);
    if (!/^\d+$/.test(key) || index >= operator.parallelism) {
      return `subtaskStates key '${key}' is not a subtask index below the parallelism ${operator.parallelism}`;
    }
    const problem = findSubtaskProblem(state);
    if (problem !== null) return `subtaskStates[${key}]: ${problem}`;
  }
  return null;
}

function findSubtaskProblem(state: unknown): string | null {
  if (!isObject(state)) return 'expected an object';
  if (!Array.isArray(state.managedKeyedState)) return 'field managedKeyedState must be an array';
  if (!Array.isArray(state.managedOperatorState)) return 'field managedOperatorState must be an array';
  for (const [index, handle] of (state.managedKeyedState as unknown[]).entries()) {
    const problem = findKeyGroupsHandleProblem(handle);
    if (problem !== null) return `managedKeyedState[${index}]: ${problem}`;
  }
  for (const [index, handle] of (state.managedOperatorState as unknown[]).entries()) {
    const problem = findOperatorHandleProblem(handle);
    if (problem !== null) return `managedOperatorState[${index}]: ${problem}`;
  }
  return null;
}

function findKeyGroupsHandleProblem(handle: unknown): string | null {
  if (!isObject(handle)) return 'expected an object';
  const range = handle.keyGroupRange;
  // An empty range is (0, -1), as Flink's KeyGroupRange.EMPTY_KEY_GROUP_RANGE.
  if (!isObject(range) || !isCount(range.startKeyGroup, 0) || !isCount(range.endKeyGroup, -1)) {
    return 'field keyGroupRange must have whole numbers startKeyGroup and endKeyGroup';
  }
  return findStreamHandleProblem(handle.stream);
}

function findOperatorHandleProblem(handle: unknown): string | null {
  if (!isObject(handle)) return 'expected an object';
  if (!isObject(handle.states)) return 'field states must be an object';
  for (const [name, info] of Object.entries(handle.states)) {
    if (!isObject(info) || !MODES.includes(info.mode) || !isCount(info.entries, 0)) {
      return `state '${name}' must have a mode (${MODES.join(', ')}) and a whole number of entries`;
    }
  }
  return findStreamHandleProblem(handle.stream);
}

function findStreamHandleProblem(stream: unknown): string | null {
  if (!isObject(stream)) return 'field stream must be an object';
  if (!isCount(stream.size, 0)) return 'field stream.size must be a whole number >= 0';
  if (stream.type === 'bytes') {
    return typeof stream.data === 'string' ? null : 'field stream.data must be a base64 string';
  }
  if (stream.type === 'file') {
    return typeof stream.relativePath === 'string' && isContainedRelativePath(stream.relativePath)
      ? null
      : 'field stream.relativePath must be a path inside the snapshot directory';
  }
  return `unknown stream type ${show(stream.type)}`;
}
