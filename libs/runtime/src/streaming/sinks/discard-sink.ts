import { SinkOperator } from '../operators.js';
import type { Sink } from '../operators.js';

/** Drops every record (Flink's DiscardingSink); for jobs measured by their side effects or speed. */
export class DiscardSink<IN = unknown> implements Sink<IN> {
  readonly name = 'Discard';

  createOperator(): SinkOperator<IN> {
    return new DiscardSinkOperator<IN>();
  }
}

class DiscardSinkOperator<IN> extends SinkOperator<IN> {
  processElement(): void {
    // Discarded on purpose.
  }
}
