import type { RecordWriter } from '../io/network/record-writer.js';
import type { KeySelector, Output, StreamOperator } from './stream-operator.js';

/** Hands records to the next operator of the chain by a direct call (Flink's ChainingOutput). */
export class ChainingOutput<T> implements Output<T> {
  constructor(private readonly next: StreamOperator<T, unknown>) {}

  collect(record: T): void {
    this.next.processElement(record);
  }
}

/** Writes records to a task's writer as they are (Flink's RecordWriterOutput). */
export class RecordWriterOutput<T> implements Output<T> {
  constructor(private readonly writer: RecordWriter<T>) {}

  collect(record: T): void {
    this.writer.emit(record);
  }
}

/**
 * Writes `[key, record]` pairs to the writer of a keyBy edge: its hash partitioner routes by field 0
 * (the key), and the keyed consumer sets that key on its keyed state before it processes the record.
 * The pair is the one allocation per record a keyed exchange costs.
 */
export class KeyedRecordWriterOutput<T> implements Output<T> {
  constructor(
    private readonly writer: RecordWriter<readonly [unknown, T]>,
    private readonly keySelector: KeySelector<T, unknown>,
  ) {}

  collect(record: T): void {
    this.writer.emit([this.keySelector(record), record]);
  }
}

/** Sends every record to several outputs (Flink's BroadcastingOutputCollector). */
export class BroadcastingOutput<T> implements Output<T> {
  constructor(private readonly outputs: readonly Output<T>[]) {}

  collect(record: T): void {
    const outputs = this.outputs;
    for (let i = 0; i < outputs.length; i++) outputs[i]?.collect(record);
  }
}

/** The output of a chain without writers (a sink chain): records are dropped. */
export class DiscardingOutput implements Output<unknown> {
  collect(): void {
    // A sink's tail has nowhere to send records.
  }
}
