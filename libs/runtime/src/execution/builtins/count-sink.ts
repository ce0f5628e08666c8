import { ConfigOptions } from '../../core/configuration.js';
import type { ConfigOption } from '../../core/configuration.js';
import { LongCounter } from '../accumulators.js';
import { AbstractInvokable } from '../invokable.js';
import { consumeInputs } from './data-path.js';
import { accumulatorOfType, getNonEmptyString } from './task-config.js';

const NAME = 'eddy.count-sink';

/** Name of the LongCounter the records are counted into. Default `count`. */
export const COUNT_ACCUMULATOR: ConfigOption<string> = ConfigOptions.key('count.accumulator')
  .stringType()
  .defaultValue('count')
  .withDescription('Name of the LongCounter accumulator the count sink counts records into.');

/**
 * Sink counting its input records into a LongCounter (`count.accumulator`, default `count`); the
 * job result holds the sum over all subtasks. Reads all inputs. Fails when the task already has a
 * different kind of accumulator under that name.
 */
export class CountSinkTask extends AbstractInvokable {
  static readonly invokableName = NAME;

  async invoke(): Promise<void> {
    const environment = this.getEnvironment();
    const name = getNonEmptyString(this.getTaskConfiguration(), COUNT_ACCUMULATOR, NAME);
    const counter = accumulatorOfType(
      environment.getAccumulatorRegistry(),
      name,
      LongCounter,
      COUNT_ACCUMULATOR,
      NAME,
    );
    await consumeInputs(environment, (records) => {
      counter.add(records.length);
    });
  }
}
