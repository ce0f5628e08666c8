import { describe, expect, it } from 'vitest';

import { IllegalArgumentError } from './errors.js';
import {
  AllocationID,
  ExecutionAttemptID,
  ExecutionGraphID,
  ExecutionVertexID,
  IntermediateDataSetID,
  IntermediateResultPartitionID,
  JobID,
  JobVertexID,
  ResourceID,
  ResultPartitionID,
  SlotID,
} from './ids.js';

const HEX = '0123456789abcdef0123456789abcdef';

describe('random hex IDs', () => {
  it('generate 32 lowercase hex characters, different each time', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 100; i++) {
      const id = JobID.generate();
      expect(id).toMatch(/^[0-9a-f]{32}$/);
      expect(JobID.isValid(id)).toBe(true);
      ids.add(id);
    }
    expect(ids.size).toBe(100);
    expect(AllocationID.generate()).toMatch(/^[0-9a-f]{32}$/);
  });

  it('fromHexString accepts 32 hex characters in any case, normalised to lowercase', () => {
    expect(JobID.fromHexString(HEX)).toBe(HEX);
    expect(JobID.fromHexString(HEX.toUpperCase())).toBe(HEX);
    const generated = JobVertexID.generate();
    expect(JobVertexID.fromHexString(generated)).toBe(generated);
  });

  it.each([
    '',
    '0123456789abcdef',
    `${HEX}0`,
    '0123456789abcdef0123456789abcdeg',
    ` ${HEX.slice(1)}`,
    '0123456789abcdef-123456789abcdef',
  ])('fromHexString rejects %j, naming the kind and the value', (bad) => {
    expect(() => JobID.fromHexString(bad)).toThrow(IllegalArgumentError);
    expect(() => JobID.fromHexString(bad)).toThrow(`Cannot parse JobID from '${bad}'`);
    expect(JobID.isValid(bad)).toBe(false);
  });

  it('isValid takes only the normalised (lowercase) form', () => {
    expect(IntermediateDataSetID.isValid(HEX)).toBe(true);
    expect(IntermediateDataSetID.isValid(HEX.toUpperCase())).toBe(false);
  });
});

describe('ResourceID', () => {
  it('is any non-empty string', () => {
    expect(ResourceID.of('taskmanager-0')).toBe('taskmanager-0');
    expect(() => ResourceID.of('')).toThrow(IllegalArgumentError);
    expect(ResourceID.generate()).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('composite IDs', () => {
  const jobVertexId = JobVertexID.fromHexString(HEX);

  it('ExecutionVertexID is <jobVertexId>_<subtask> and splits back', () => {
    for (const subtask of [0, 7, 1234]) {
      const id = ExecutionVertexID.of(jobVertexId, subtask);
      expect(id).toBe(`${HEX}_${subtask}`);
      expect(ExecutionVertexID.jobVertexId(id)).toBe(jobVertexId);
      expect(ExecutionVertexID.subtaskIndex(id)).toBe(subtask);
    }
  });

  it('ExecutionAttemptID is <graphId>_<vertexId>_<attempt> and splits back', () => {
    const graphId = ExecutionGraphID.generate();
    for (const [subtask, attempt] of [
      [0, 0],
      [3, 1],
      [11, 15],
      [250, 1000],
    ] as const) {
      const vertexId = ExecutionVertexID.of(jobVertexId, subtask);
      const id = ExecutionAttemptID.of(graphId, vertexId, attempt);
      expect(id).toBe(`${graphId}_${HEX}_${subtask}_${attempt}`);
      expect(ExecutionAttemptID.executionVertexId(id)).toBe(vertexId);
      expect(ExecutionAttemptID.attemptNumber(id)).toBe(attempt);
    }
  });

  it('ExecutionAttemptID.generate uses a fresh graph ID each time', () => {
    const vertexId = ExecutionVertexID.of(jobVertexId, 2);
    const first = ExecutionAttemptID.generate(vertexId);
    const second = ExecutionAttemptID.generate(vertexId, 4);
    expect(first).not.toBe(ExecutionAttemptID.generate(vertexId));
    expect(ExecutionAttemptID.executionVertexId(first)).toBe(vertexId);
    expect(ExecutionAttemptID.attemptNumber(first)).toBe(0);
    expect(ExecutionAttemptID.attemptNumber(second)).toBe(4);
  });

  it('IntermediateResultPartitionID is <dataSetId>#<partition> and splits back', () => {
    const dataSetId = IntermediateDataSetID.generate();
    const id = IntermediateResultPartitionID.of(dataSetId, 17);
    expect(id).toBe(`${dataSetId}#17`);
    expect(IntermediateResultPartitionID.dataSetId(id)).toBe(dataSetId);
    expect(IntermediateResultPartitionID.partitionNumber(id)).toBe(17);
  });

  it('ResultPartitionID and SlotID keys tell attempts and slots apart', () => {
    const partitionId = IntermediateResultPartitionID.of(IntermediateDataSetID.generate(), 0);
    const vertexId = ExecutionVertexID.of(jobVertexId, 0);
    const graphId = ExecutionGraphID.generate();
    const a = ResultPartitionID.key({ partitionId, producerId: ExecutionAttemptID.of(graphId, vertexId, 0) });
    const b = ResultPartitionID.key({ partitionId, producerId: ExecutionAttemptID.of(graphId, vertexId, 1) });
    expect(a).not.toBe(b);
    expect(a.startsWith(`${partitionId}@`)).toBe(true);
    const resourceId = ResourceID.of('tm');
    expect(SlotID.key({ resourceId, slotNumber: 3 })).toBe('tm_3');
  });
});
