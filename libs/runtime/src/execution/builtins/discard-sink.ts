import { AbstractInvokable } from '../invokable.js';
import { consumeInputs } from './data-path.js';

/**
 * Sink reading every input to its end and dropping the records (Flink's DiscardingSink): the
 * consumer of throughput benchmarks. No configuration.
 */
export class DiscardSinkTask extends AbstractInvokable {
  static readonly invokableName = 'eddy.discard-sink';

  async invoke(): Promise<void> {
    await consumeInputs(this.getEnvironment(), () => undefined);
  }
}
