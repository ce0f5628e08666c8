import type { ListState } from '../../state/state-api.js';
import { StateDescriptors } from '../../state/state-api.js';
import { AbstractStreamOperator } from '../stream-operator.js';
import type { StateInitializationContext } from '../stream-operator.js';

/**
 * An operator for tests that forwards every record and logs what happens to it in a shared list:
 * `r<record>`, `snapshot <id>`, `complete <id>`, `aborted <id>`, `open`, `end`, `close`. It counts
 * its records in operator list state `count` (restored counts are logged as `restored <n>`).
 */
export class LoggingOperator<T> extends AbstractStreamOperator<T, T> {
  private count: ListState<number> | undefined;
  private processed = 0;

  constructor(readonly log: string[]) {
    super();
  }

  override initializeState(context: StateInitializationContext): void {
    this.count = context.getOperatorStateBackend().getListState(StateDescriptors.list<number>('count'));
    if (context.isRestored()) {
      this.processed = this.count.get().reduce((sum, count) => sum + count, 0);
      this.log.push(`restored ${this.processed}`);
    }
  }

  override open(): void {
    this.log.push('open');
  }

  processElement(record: T): void {
    this.processed++;
    this.log.push(`r${String(record)}`);
    this.output.collect(record);
  }

  override snapshotState(checkpointId: number): void {
    this.count?.update([this.processed]);
    this.log.push(`snapshot ${checkpointId}`);
  }

  override notifyCheckpointComplete(checkpointId: number): void {
    this.log.push(`complete ${checkpointId}`);
  }

  override notifyCheckpointAborted(checkpointId: number): void {
    this.log.push(`aborted ${checkpointId}`);
  }

  override endInput(): void {
    this.log.push('end');
  }

  override close(): void {
    this.log.push('close');
  }
}
