import {
  ExecutionAttemptID,
  ExecutionVertexID,
  IntermediateDataSetID,
  IntermediateResultPartitionID,
  JobID,
  JobVertexID,
} from '../../../core/ids.js';
import type { ResultPartitionID } from '../../../core/ids.js';
import type { ResultPartitionType } from '../../../jobgraph/enums.js';
import type { RuntimeEvent } from '../buffer.js';
import type { InputGate } from '../input-gate.js';
import { ResultPartition } from '../result-partition.js';

/** A fresh ResultPartitionID: partition `partitionNumber` of a new data set, produced by a new attempt. */
export function newResultPartitionId(partitionNumber = 0): ResultPartitionID {
  return {
    partitionId: IntermediateResultPartitionID.of(IntermediateDataSetID.generate(), partitionNumber),
    producerId: ExecutionAttemptID.generate(ExecutionVertexID.of(JobVertexID.generate(), partitionNumber)),
  };
}

/** A partition with a new ID for a new job. */
export function newPartition(
  partitionType: ResultPartitionType,
  numberOfSubpartitions: number,
  buffersPerChannel = 2,
  jobId: JobID = JobID.generate(),
): ResultPartition {
  return new ResultPartition({
    partitionId: newResultPartitionId(),
    jobId,
    partitionType,
    numberOfSubpartitions,
    buffersPerChannel,
  });
}

/** Everything a gate delivered, per channel, until it finished. */
export interface Drained {
  readonly records: Map<number, unknown[]>;
  /** Buffer sizes in arrival order, per channel. */
  readonly bufferSizes: Map<number, number[]>;
  readonly events: { channelIndex: number; event: RuntimeEvent }[];
}

/** Reads a gate to its end, as a task would: poll what is there, await only when nothing is. */
export async function drainGate(gate: InputGate): Promise<Drained> {
  const drained: Drained = { records: new Map(), bufferSizes: new Map(), events: [] };
  for (;;) {
    const next = gate.pollNext();
    if (next === undefined) {
      if (gate.isFinished()) return drained;
      await gate.getAvailableFuture();
      continue;
    }
    if (next.kind === 'event') {
      drained.events.push({ channelIndex: next.channelIndex, event: next.event });
      continue;
    }
    const records = drained.records.get(next.channelIndex) ?? [];
    records.push(...next.records);
    drained.records.set(next.channelIndex, records);
    const sizes = drained.bufferSizes.get(next.channelIndex) ?? [];
    sizes.push(next.records.length);
    drained.bufferSizes.set(next.channelIndex, sizes);
  }
}

export function range(count: number, start = 0): number[] {
  return Array.from({ length: count }, (_, i) => start + i);
}
