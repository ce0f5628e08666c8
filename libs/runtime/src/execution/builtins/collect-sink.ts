import { ConfigOptions } from '../../core/configuration.js';
import type { ConfigOption } from '../../core/configuration.js';
import { ListAccumulator } from '../accumulators.js';
import { AbstractInvokable } from '../invokable.js';
import { consumeInputs } from './data-path.js';
import { accumulatorOfType, getNonEmptyString } from './task-config.js';

const NAME = 'eddy.collect-sink';

/** Name of the list accumulator the records are collected into. Default `collected`. */
export const COLLECT_ACCUMULATOR: ConfigOption<string> = ConfigOptions.key('collect.accumulator')
  .stringType()
  .defaultValue('collected')
  .withDescription('Name of the list accumulator the collect sink adds every record to.');

/**
 * Sink adding every input record to a list accumulator (`collect.accumulator`, default
 * `collected`): this is how a job returns records in its JobResult, where the lists of all
 * subtasks are concatenated. Reads all inputs. Fails when the task already has a different kind
 * of accumulator under that name.
 */
export class CollectSinkTask extends AbstractInvokable {
  static readonly invokableName = NAME;

  async invoke(): Promise<void> {
    const environment = this.getEnvironment();
    const name = getNonEmptyString(this.getTaskConfiguration(), COLLECT_ACCUMULATOR, NAME);
    const list = accumulatorOfType(
      environment.getAccumulatorRegistry(),
      name,
      ListAccumulator<unknown>,
      COLLECT_ACCUMULATOR,
      NAME,
    );
    await consumeInputs(environment, (records) => {
      for (const record of records) list.add(record);
    });
  }
}
