import { LongCounter } from '../execution/accumulators.js';
import { AbstractInvokable } from '../execution/invokable.js';
import { RecordReader } from '../io/network/record-reader.js';

/** Shared observations of the test invokables below (one test file per worker, so module state is private). */
export const observed = {
  emitted: 0,
  consumed: 0,
  maxInFlight: 0,
  reset(): void {
    this.emitted = 0;
    this.consumed = 0;
    this.maxInFlight = 0;
  },
};

/** Emits `test.records` (default 1000) numbers 1..n split over the subtasks. */
export class NumberSource extends AbstractInvokable {
  static readonly invokableName = 'test.number-source';

  async invoke(): Promise<void> {
    const writer = this.getEnvironment().getWriter<number>(0);
    const n = Number(this.getTaskConfiguration().getString('test.records', '1000'));
    const p = this.getCurrentNumberOfSubtasks();
    for (let i = 1 + this.getIndexInSubtaskGroup(); i <= n; i += p) {
      writer.emit(i);
      observed.emitted++;
      if (!writer.isAvailable()) await writer.getAvailableFuture();
      if (this.isCanceled()) return;
    }
  }
}

/** Emits numbers until cancelled, yielding to the event loop now and then. */
export class EndlessSource extends AbstractInvokable {
  static readonly invokableName = 'test.endless-source';

  async invoke(): Promise<void> {
    const writer = this.getEnvironment().getWriter<number>(0);
    for (let i = 0; !this.isCanceled(); i++) {
      writer.emit(i);
      if (!writer.isAvailable()) await writer.getAvailableFuture();
      if (i % 1024 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/** Sums its input into the `sum` accumulator. */
export class SumSink extends AbstractInvokable {
  static readonly invokableName = 'test.sum-sink';

  async invoke(): Promise<void> {
    const sum = this.getEnvironment()
      .getAccumulatorRegistry()
      .getOrAdd('sum', () => new LongCounter());
    await new RecordReader<number>(this.getEnvironment().getInputGate(0)).forEach((value) => {
      sum.add(value);
    });
  }
}

/**
 * Forwards its input; subtask 0 of attempt 0 throws after `test.fail-after` records (default 100),
 * so the first attempt fails and a restarted one succeeds.
 */
export class FailOnceForward extends AbstractInvokable {
  static readonly invokableName = 'test.fail-once-forward';

  async invoke(): Promise<void> {
    const environment = this.getEnvironment();
    const writer = environment.getWriter<number>(0);
    const failAfter = Number(this.getTaskConfiguration().getString('test.fail-after', '100'));
    const shouldFail = environment.getTaskInfo().attemptNumber === 0 && this.getIndexInSubtaskGroup() === 0;
    let seen = 0;
    const reader = new RecordReader<number>(environment.getInputGate(0));
    for (let batch = await reader.nextBatch(); batch !== undefined; batch = await reader.nextBatch()) {
      for (const value of batch) {
        if (shouldFail && ++seen > failAfter) throw new Error('Injected failure of the first attempt');
        writer.emit(value);
      }
      if (!writer.isAvailable()) await writer.getAvailableFuture();
    }
  }
}

/** Consumes slowly: waits `test.pause-ms` (default 1) after every batch and tracks records in flight. */
export class SlowSink extends AbstractInvokable {
  static readonly invokableName = 'test.slow-sink';

  async invoke(): Promise<void> {
    const pause = Number(this.getTaskConfiguration().getString('test.pause-ms', '1'));
    const reader = new RecordReader<number>(this.getEnvironment().getInputGate(0));
    for (let batch = await reader.nextBatch(); batch !== undefined; batch = await reader.nextBatch()) {
      observed.consumed += batch.length;
      observed.maxInFlight = Math.max(observed.maxInFlight, observed.emitted - observed.consumed);
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
