import type {
  CheckpointFailureReason,
  CheckpointMetaData,
  CheckpointOptions,
} from '../checkpoint/checkpoint-types.js';
import { deferred, yieldToEventLoop } from '../core/async.js';
import type { Deferred } from '../core/async.js';
import { IllegalStateError } from '../core/errors.js';
import { RECORDS_BETWEEN_YIELDS } from '../execution/builtins/data-path.js';
import type { CheckpointableTask, TaskStateManager } from '../execution/checkpointable.js';
import type { Environment } from '../execution/environment.js';
import { AbstractInvokable } from '../execution/invokable.js';
import type { CheckpointBarrier } from '../io/network/buffer.js';
import type { InputGate } from '../io/network/input-gate.js';
import type { RecordWriter } from '../io/network/record-writer.js';
import { UnionInputGate } from '../io/network/union-input-gate.js';
import { CheckpointBarrierAligner } from './barrier-aligner.js';
import type { AlignmentMetrics, BarrierHandlerTarget } from './barrier-aligner.js';
import { TaskMailbox, TaskWaker } from './mailbox.js';
import { OperatorChain } from './operator-chain.js';
import type { StreamChainConfig } from './stream-config.js';
import { sourceAlignmentMetrics, SubtaskCheckpointCoordinator } from './subtask-checkpoint-coordinator.js';

/** A task running flat out yields to the event loop at least this often (ms). */
const MAX_MS_BETWEEN_YIELDS = 10;
/** What one step of a task's input did (Flink's DataInputStatus). */
export type InputStatus = 'MORE_AVAILABLE' | 'NOTHING_AVAILABLE' | 'END_OF_INPUT';

/** Lifecycle of a StreamTask; see {@link StreamTask.transition} for the allowed steps. */
export type StreamTaskState =
  'CREATED' | 'INITIALIZING' | 'RUNNING' | 'FINISHING' | 'FINISHED' | 'CANCELED' | 'FAILED';

const TRANSITIONS: Readonly<Record<StreamTaskState, readonly StreamTaskState[]>> = {
  CREATED: ['INITIALIZING', 'CANCELED', 'FAILED'],
  INITIALIZING: ['RUNNING', 'CANCELED', 'FAILED'],
  RUNNING: ['FINISHING', 'CANCELED', 'FAILED'],
  FINISHING: ['FINISHED', 'CANCELED', 'FAILED'],
  FINISHED: [],
  CANCELED: [],
  FAILED: [],
};

/** A stop-with-savepoint in progress: the task finishes once it completed (or goes on if aborted). */
interface SyncSavepoint {
  readonly checkpointId: number;
  readonly drain: boolean;
  outcome: 'PENDING' | 'COMPLETED' | 'ABORTED';
  readonly settled: Deferred<void>;
}

/**
 * The invokable of a streaming task (Flink's StreamTask with its MailboxProcessor): runs an
 * {@link OperatorChain} over the task's input in a mailbox loop on the event loop.
 *
 * The loop handles what the input has synchronously (one buffer or event per step, no await per
 * record), runs the mails (checkpoint triggers and notifications) between steps, waits only when the
 * input has nothing or a writer is full (then for input, writer capacity, a mail or cancellation,
 * whichever comes first), and yields to the event loop every {@link RECORDS_BETWEEN_YIELDS} records.
 *
 * The input is every input gate read as one; checkpoint barriers go to a
 * {@link CheckpointBarrierAligner}. A checkpoint's synchronous part (operators' and backends'
 * snapshots, then the barrier on every writer) runs when the barriers are aligned; the state is
 * written and acknowledged asynchronously. State is restored in `invoke()` before the operators open.
 * When the input ends, operators get `endInput` (not after a stop-with-savepoint without drain) and
 * the task waits for its pending acknowledgements. Subclasses generated per job vertex pass the chain.
 */
export class StreamTask extends AbstractInvokable implements CheckpointableTask, BarrierHandlerTarget {
  protected readonly waker = new TaskWaker();
  protected readonly mailbox = new TaskMailbox(this.waker);
  protected readonly taskStateManager: TaskStateManager;
  /** The running chain; set at the start of `invoke()`. */
  protected chain!: OperatorChain;
  protected syncSavepoint: SyncSavepoint | undefined;
  /** Records and events handled since the last yield to the event loop. */
  protected handledSinceYield = 0;
  private lastYieldAt = performance.now();
  private state: StreamTaskState = 'CREATED';
  private checkpointer: SubtaskCheckpointCoordinator | undefined;
  private input: InputGate | undefined;
  private aligner: CheckpointBarrierAligner | undefined;
  private subscribedInput: Promise<void> | undefined;
  private subscribedOutput: Promise<void> | undefined;
  private asyncFailure: { readonly error: unknown } | undefined;
  private lastCompletedCheckpointId = 0;

  constructor(
    environment: Environment,
    protected readonly config: StreamChainConfig,
  ) {
    super(environment);
    this.taskStateManager = environment.getTaskStateManager();
  }

  getState(): StreamTaskState {
    return this.state;
  }

  async invoke(): Promise<void> {
    const signal = this.getEnvironment().getCancellationSignal();
    const wake = (): void => {
      this.waker.wake();
    };
    signal.addEventListener('abort', wake);
    try {
      this.transition('INITIALIZING');
      this.chain = new OperatorChain(this.config, this.getEnvironment());
      this.checkpointer = new SubtaskCheckpointCoordinator(this.chain, this.taskStateManager);
      this.setUpInput();
      await this.chain.initialize(this.taskStateManager.getRestore(), (handle) =>
        this.taskStateManager.readRestoredState(handle),
      );
      if (!signal.aborted) {
        this.transition('RUNNING');
        await this.runMailboxLoop();
      }
      if (!signal.aborted) {
        this.transition('FINISHING');
        await this.finish();
      }
    } catch (error) {
      this.transition(signal.aborted ? 'CANCELED' : 'FAILED');
      await this.shutDown().catch(() => undefined);
      throw error;
    } finally {
      signal.removeEventListener('abort', wake);
    }
    try {
      await this.shutDown();
    } catch (error) {
      this.transition(signal.aborted ? 'CANCELED' : 'FAILED');
      throw error;
    }
    this.transition(signal.aborted ? 'CANCELED' : 'FINISHED');
  }

  /**
   * Takes a checkpoint at a task without inputs (a source) as a mail. Resolves true once the
   * synchronous part ran and the barrier went out; false when the task cannot take it (the caller
   * declines): it has inputs (barriers reach it through them), is not running, or ended.
   */
  triggerCheckpointAsync(metadata: CheckpointMetaData, options: CheckpointOptions): Promise<boolean> {
    if (this.getEnvironment().getNumberOfInputGates() > 0) return Promise.resolve(false);
    const result = deferred<boolean>();
    this.mailbox.put({
      description: `trigger checkpoint ${metadata.checkpointId}`,
      run: () => {
        if (!this.isReadyForCheckpoint()) {
          result.resolve(false);
          return;
        }
        try {
          this.performCheckpoint(metadata, options, sourceAlignmentMetrics(metadata, Date.now()));
          result.resolve(true);
        } catch (error) {
          result.resolve(false);
          throw error;
        }
      },
      discard: () => {
        result.resolve(false);
      },
    });
    return result.promise;
  }

  /**
   * Tells the operators (as a mail) that `checkpointId` completed, so they commit its side effects.
   * Resolves once they were told, or at once when the task ended; an operator failing fails the task.
   */
  notifyCheckpointCompleteAsync(checkpointId: number): Promise<void> {
    return this.runAsMail(`notify checkpoint ${checkpointId} complete`, () =>
      this.notifyComplete(checkpointId),
    );
  }

  /**
   * Tells the operators (as a mail) that `checkpointId` was aborted; a barrier alignment of it stops.
   * When `latestCompletedCheckpointId` was never notified (its notification was lost), it is first.
   */
  notifyCheckpointAbortAsync(checkpointId: number, latestCompletedCheckpointId: number): Promise<void> {
    return this.runAsMail(`notify checkpoint ${checkpointId} aborted`, async () => {
      if (latestCompletedCheckpointId > this.lastCompletedCheckpointId) {
        await this.notifyComplete(latestCompletedCheckpointId);
      }
      this.aligner?.abortPendingCheckpoint(checkpointId);
      await this.chain.notifyCheckpointAborted(checkpointId);
      this.settleSyncSavepoint(checkpointId, 'ABORTED');
    });
  }

  /** @internal Barrier handler: barriers aligned, snapshot now. */
  triggerCheckpointOnBarrier(barrier: CheckpointBarrier, metrics: AlignmentMetrics): void {
    this.performCheckpoint(
      { checkpointId: barrier.checkpointId, timestamp: barrier.timestamp },
      barrier.options,
      metrics,
    );
  }

  /** @internal Barrier handler: an alignment was given up. */
  abortCheckpointOnBarrier(checkpointId: number, reason: CheckpointFailureReason): void {
    this.checkpointer?.declineCheckpoint(checkpointId, reason);
  }

  /** Connects the input: every gate read as one, with barrier alignment. Sources override it. */
  protected setUpInput(): void {
    const gates = this.getEnvironment().getAllInputGates();
    if (gates.length === 0) return;
    const input = gates.length === 1 ? (gates[0] as InputGate) : new UnionInputGate(gates);
    this.input = input;
    this.aligner = new CheckpointBarrierAligner(
      input.getNumberOfInputChannels(),
      input,
      this,
      this.config.checkpointingMode ?? 'EXACTLY_ONCE',
    );
  }

  /** One step of the input: a buffer into the chain, or an event. Synchronous. */
  protected processInput(): InputStatus {
    const input = this.input;
    if (input === undefined) return 'END_OF_INPUT';
    const next = input.pollNext();
    if (next === undefined) return input.isFinished() ? 'END_OF_INPUT' : 'NOTHING_AVAILABLE';
    const aligner = this.aligner as CheckpointBarrierAligner;
    if (next.kind === 'buffer') {
      const records = next.records;
      this.chain.processBuffer(records);
      this.handledSinceYield += records.length;
      if (aligner.isAligning()) aligner.recordsDuringAlignment += records.length;
      return 'MORE_AVAILABLE';
    }
    this.handledSinceYield++;
    const event = next.event;
    switch (event.type) {
      case 'CheckpointBarrier':
        aligner.processBarrier(event, next.channelIndex);
        return 'MORE_AVAILABLE';
      case 'EndOfPartition':
        aligner.processEndOfPartition(next.channelIndex);
        return input.isFinished() ? 'END_OF_INPUT' : 'MORE_AVAILABLE';
      case 'EndOfData':
        return 'MORE_AVAILABLE';
    }
  }

  /** Resolves when {@link processInput} may make progress again. */
  protected getInputAvailableFuture(): Promise<void> {
    return this.input?.getAvailableFuture() ?? Promise.resolve();
  }

  /** Whether the task can take a checkpoint now: running, and no stop-with-savepoint pending. */
  protected isReadyForCheckpoint(): boolean {
    return (
      this.state === 'RUNNING' && this.checkpointer !== undefined && this.syncSavepoint?.outcome !== 'PENDING'
    );
  }

  /**
   * The synchronous part of a checkpoint: snapshot, barrier out, asynchronous acknowledgement
   * started. Declines when the task is not ready ({@link isReadyForCheckpoint}).
   */
  protected performCheckpoint(
    metadata: CheckpointMetaData,
    options: CheckpointOptions,
    alignment: AlignmentMetrics,
  ): void {
    const checkpointer = this.checkpointer;
    if (!this.isReadyForCheckpoint() || checkpointer === undefined) {
      this.taskStateManager.declineCheckpoint(metadata.checkpointId, 'CHECKPOINT_DECLINED_TASK_NOT_READY');
      return;
    }
    checkpointer.checkpointState(metadata, options, alignment);
    if (options.snapshotType === 'SYNC_SAVEPOINT') {
      this.syncSavepoint = {
        checkpointId: metadata.checkpointId,
        drain: options.drain,
        outcome: 'PENDING',
        settled: deferred(),
      };
    }
  }

  /** Whether the task stopped with a savepoint without drain: operators then get no `endInput`. */
  protected isStoppedWithoutDrain(): boolean {
    return this.syncSavepoint?.outcome === 'COMPLETED' && !this.syncSavepoint.drain;
  }

  private async runMailboxLoop(): Promise<void> {
    const signal = this.getEnvironment().getCancellationSignal();
    const chain = this.chain;
    for (;;) {
      if (signal.aborted) return;
      this.throwAsyncFailure();
      if (this.mailbox.hasMail()) {
        await this.processMail();
        continue;
      }
      const fullWriter = chain.getUnavailableWriter();
      if (fullWriter !== undefined) {
        this.subscribeToOutput(fullWriter);
        await this.waker.wait();
        continue;
      }
      const status = this.processInput();
      if (status === 'MORE_AVAILABLE') {
        // Yield after enough records, or after enough time (slow records), so that one busy task
        // never starves timers, RPCs and the other tasks on this event loop.
        if (
          this.handledSinceYield >= RECORDS_BETWEEN_YIELDS ||
          performance.now() - this.lastYieldAt >= MAX_MS_BETWEEN_YIELDS
        ) {
          this.handledSinceYield = 0;
          await yieldToEventLoop();
          this.lastYieldAt = performance.now();
        }
        continue;
      }
      if (status === 'END_OF_INPUT') return;
      this.subscribeToInput();
      await this.waker.wait();
    }
  }

  /**
   * The input ended: wait for a pending stop-with-savepoint to settle, end the operators' input,
   * run the mails left and wait for the acknowledgements in flight.
   */
  private async finish(): Promise<void> {
    const signal = this.getEnvironment().getCancellationSignal();
    while (this.syncSavepoint?.outcome === 'PENDING' && !signal.aborted) {
      if (this.mailbox.hasMail()) await this.processMail();
      else await this.waker.wait();
    }
    if (signal.aborted) return;
    if (this.isStoppedWithoutDrain()) this.chain.flushOutputs();
    else await this.chain.endInput();
    await this.processMail();
    await this.checkpointer?.waitForPendingCheckpoints();
  }

  /** Closes the mailbox (discarding its mails) and the chain. */
  private async shutDown(): Promise<void> {
    this.mailbox.close();
    if (this.state !== 'CREATED' && this.checkpointer !== undefined) await this.chain.close();
  }

  private async processMail(): Promise<void> {
    for (let mail = this.mailbox.take(); mail !== undefined; mail = this.mailbox.take()) {
      const pending = mail.run();
      if (pending !== undefined) await pending;
    }
  }

  private async notifyComplete(checkpointId: number): Promise<void> {
    this.lastCompletedCheckpointId = Math.max(this.lastCompletedCheckpointId, checkpointId);
    await this.chain.notifyCheckpointComplete(checkpointId);
    this.settleSyncSavepoint(checkpointId, 'COMPLETED');
  }

  private settleSyncSavepoint(checkpointId: number, outcome: 'COMPLETED' | 'ABORTED'): void {
    const savepoint = this.syncSavepoint;
    if (savepoint?.checkpointId !== checkpointId || savepoint.outcome !== 'PENDING') return;
    savepoint.outcome = outcome;
    savepoint.settled.resolve();
    this.waker.wake();
  }

  private runAsMail(description: string, action: () => Promise<void>): Promise<void> {
    const done = deferred<undefined>();
    this.mailbox.put({
      description,
      run: async () => {
        try {
          await action();
        } finally {
          done.resolve(undefined);
        }
      },
      discard: () => {
        done.resolve(undefined);
      },
    });
    return done.promise;
  }

  private subscribeToInput(): void {
    const future = this.getInputAvailableFuture();
    if (future === this.subscribedInput) return;
    this.subscribedInput = future;
    const settle = (): void => {
      if (this.subscribedInput === future) this.subscribedInput = undefined;
      this.waker.wake();
    };
    future.then(settle, (error: unknown) => {
      this.failAsync(error);
      settle();
    });
  }

  private subscribeToOutput(writer: RecordWriter): void {
    const future = writer.getAvailableFuture();
    if (future === this.subscribedOutput) return;
    this.subscribedOutput = future;
    const settle = (): void => {
      if (this.subscribedOutput === future) this.subscribedOutput = undefined;
      this.waker.wake();
    };
    future.then(settle, (error: unknown) => {
      // A writer released because the task was cancelled is not a failure.
      if (!this.isCanceled()) this.failAsync(error);
      settle();
    });
  }

  private failAsync(error: unknown): void {
    this.asyncFailure ??= { error };
  }

  private throwAsyncFailure(): void {
    const failure = this.asyncFailure;
    if (failure === undefined) return;
    throw failure.error instanceof Error ? failure.error : new IllegalStateError(String(failure.error));
  }

  /** The one place the lifecycle changes; an illegal step is a bug and throws. */
  private transition(to: StreamTaskState): void {
    if (this.state === to) return;
    if (!TRANSITIONS[this.state].includes(to)) {
      throw new IllegalStateError(`A stream task cannot go from ${this.state} to ${to}.`);
    }
    this.state = to;
  }
}
