import { AbstractInvokable } from '../invokable.js';
import { consumeInputs, TaskOutput } from './data-path.js';

/**
 * Emits every input record unchanged (the identity map), in the order each input delivers them.
 * Reads all inputs; writes to every writer. No configuration.
 */
export class ForwardTask extends AbstractInvokable {
  static readonly invokableName = 'eddy.forward';

  async invoke(): Promise<void> {
    const output = new TaskOutput<unknown>(this.getEnvironment());
    await consumeInputs(
      this.getEnvironment(),
      (records) => {
        for (const record of records) output.emit(record);
      },
      output,
    );
  }
}
