import { ListAccumulator } from '../../execution/accumulators.js';
import type { ListState } from '../../state/state-api.js';
import { StateDescriptors } from '../../state/state-api.js';
import { SinkOperator } from '../operators.js';
import type { Sink } from '../operators.js';
import type { StateInitializationContext } from '../stream-operator.js';

/** Name of the operator list state holding the records a collect sink staged up to the last snapshot. */
export const COLLECT_SINK_STATE = 'collect-sink-records';

/**
 * Collects records into the list accumulator `accumulatorName` (default `collected`) of the job
 * result, exactly once: records are staged per checkpoint and added to the accumulator only when
 * that checkpoint completed, or at the end of the input. Every staged record is also kept in
 * operator list state, so an attempt that restores checkpoint k re-adds the records up to k (the
 * accumulator of a failed attempt is lost with it) and the replay adds the rest. Meant for tests
 * and small results: its state grows with the output.
 */
export class CollectSink<IN = unknown> implements Sink<IN> {
  readonly name: string;

  constructor(readonly accumulatorName: string = 'collected') {
    this.name = `Collect to '${accumulatorName}'`;
  }

  createOperator(): SinkOperator<IN> {
    return new CollectSinkOperator<IN>(this.accumulatorName);
  }
}

class CollectSinkOperator<IN> extends SinkOperator<IN> {
  private accumulator: ListAccumulator<IN> | undefined;
  private state: ListState<IN> | undefined;
  /** Records since the last snapshot. */
  private current: IN[] = [];
  /** Records of snapshots not yet known to be complete, by checkpoint. */
  private readonly staged = new Map<number, IN[]>();

  constructor(private readonly accumulatorName: string) {
    super();
  }

  override initializeState(context: StateInitializationContext): void {
    this.accumulator = this.getContext()
      .getAccumulatorRegistry()
      .getOrAdd(this.accumulatorName, () => new ListAccumulator<IN>());
    this.state = context
      .getOperatorStateBackend()
      .getListState(StateDescriptors.list<IN>(COLLECT_SINK_STATE));
    // State restored from a completed checkpoint: its records are committed.
    if (context.isRestored()) for (const record of this.state.get()) this.accumulator.add(record);
  }

  processElement(record: IN): void {
    this.current.push(record);
  }

  override snapshotState(checkpointId: number): void {
    if (this.current.length === 0) return;
    this.state?.addAll(this.current);
    this.staged.set(checkpointId, this.current);
    this.current = [];
  }

  override notifyCheckpointComplete(checkpointId: number): void {
    for (const [id, records] of this.staged) {
      if (id > checkpointId) continue;
      this.commit(records);
      this.staged.delete(id);
    }
  }

  override endInput(): void {
    for (const records of this.staged.values()) this.commit(records);
    this.staged.clear();
    this.commit(this.current);
    this.current = [];
  }

  private commit(records: readonly IN[]): void {
    const accumulator = this.accumulator;
    if (accumulator === undefined) return;
    for (const record of records) accumulator.add(record);
  }
}
