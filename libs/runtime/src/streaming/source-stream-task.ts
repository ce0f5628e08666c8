import { InvalidOperatorChainError } from './errors.js';
import { SourceOperator } from './sources/source-reader.js';
import type { ReaderStatus } from './sources/source-reader.js';
import { StreamTask } from './stream-task.js';
import type { InputStatus } from './stream-task.js';

/**
 * Records a source emits per step of the mailbox loop: one writer buffer's worth, so a full writer
 * is noticed after at most one buffer and mails wait for at most one step.
 */
export const SOURCE_RECORDS_PER_STEP = 512;

/**
 * The invokable of a task whose chain starts with a {@link SourceOperator} (Flink's
 * SourceOperatorStreamTask): the mailbox loop polls the reader instead of input gates. Checkpoints
 * are triggered by the coordinator (`triggerCheckpointAsync`, run as a mail between polls): the
 * reader's splits go into operator state with the chain's snapshot and the barrier follows the
 * records emitted before it.
 *
 * After the synchronous savepoint of a stop-with-savepoint the reader is not polled again: once
 * the savepoint completed the task ends — with `drain`, through `endInput` like a bounded source;
 * without, without it. If the savepoint is aborted, reading goes on.
 */
export class SourceStreamTask extends StreamTask {
  private source: SourceOperator<unknown> | undefined;
  private lastStatus: ReaderStatus = 'MORE';

  protected override setUpInput(): void {
    const head = this.chain.getHeadOperator();
    if (!(head instanceof SourceOperator)) {
      throw new InvalidOperatorChainError(
        `The chain of source task '${this.getEnvironment().getTaskInfo().taskName}' does not start with a source.`,
      );
    }
    this.source = head as SourceOperator<unknown>;
  }

  protected override processInput(): InputStatus {
    const savepoint = this.syncSavepoint;
    if (savepoint !== undefined && savepoint.outcome !== 'ABORTED') {
      return savepoint.outcome === 'PENDING' ? 'NOTHING_AVAILABLE' : 'END_OF_INPUT';
    }
    const status = (this.source as SourceOperator<unknown>).emitNext(SOURCE_RECORDS_PER_STEP);
    this.lastStatus = status;
    switch (status) {
      case 'MORE':
        this.handledSinceYield += SOURCE_RECORDS_PER_STEP;
        return 'MORE_AVAILABLE';
      case 'NOTHING_AVAILABLE':
        return 'NOTHING_AVAILABLE';
      case 'END':
        return 'END_OF_INPUT';
    }
  }

  protected override getInputAvailableFuture(): Promise<void> {
    const savepoint = this.syncSavepoint;
    if (savepoint?.outcome === 'PENDING') return savepoint.settled.promise;
    if (this.lastStatus === 'NOTHING_AVAILABLE')
      return (this.source as SourceOperator<unknown>).reader.getAvailableFuture();
    return Promise.resolve();
  }
}
