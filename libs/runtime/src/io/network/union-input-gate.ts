import { deferred } from '../../core/async.js';
import type { Deferred } from '../../core/async.js';
import { IllegalArgumentError } from '../../core/errors.js';
import type { ChannelBufferOrEvent, InputGate } from './input-gate.js';

const AVAILABLE: Promise<void> = Promise.resolve();

/**
 * Several input gates read as one (Flink's UnionInputGate), for tasks with several inputs that
 * consume them alike. Channel indices are offset: the channels of gate `i` follow those of gates
 * `0..i-1`. Polls go round robin over the gates; the union is finished when every gate is. It
 * subscribes to at most one availability future per gate at a time, so waiting does not pile up
 * callbacks on an idle gate. Blocking and resuming a channel go to the gate that owns it.
 */
export class UnionInputGate implements InputGate {
  private readonly gates: readonly InputGate[];
  private readonly offsets: readonly number[];
  private readonly subscribed: boolean[];
  private readonly numberOfChannels: number;
  private nextGate = 0;
  private availability: Deferred<void> | undefined;
  private closed = false;

  constructor(gates: readonly InputGate[]) {
    if (gates.length === 0) throw new IllegalArgumentError('A union input gate needs at least one gate.');
    this.gates = [...gates];
    const offsets: number[] = [];
    let total = 0;
    for (const gate of gates) {
      offsets.push(total);
      total += gate.getNumberOfInputChannels();
    }
    this.offsets = offsets;
    this.numberOfChannels = total;
    this.subscribed = gates.map(() => false);
  }

  getNumberOfInputChannels(): number {
    return this.numberOfChannels;
  }

  /** The channel index in this union of channel `channelIndex` of gate `gateIndex`. */
  getChannelIndexOffset(gateIndex: number): number {
    const offset = this.offsets[gateIndex];
    if (offset === undefined) throw new IllegalArgumentError(`There is no gate ${gateIndex}.`);
    return offset;
  }

  async setup(): Promise<void> {
    await Promise.all(this.gates.map((gate) => gate.setup()));
  }

  pollNext(): ChannelBufferOrEvent | undefined {
    if (this.closed) return undefined;
    const gates = this.gates;
    const count = gates.length;
    for (let attempt = 0, index = this.nextGate; attempt < count; attempt++) {
      const gate = gates[index];
      const offset = this.offsets[index];
      if (++index === count) index = 0;
      if (gate === undefined || offset === undefined) continue;
      const next = gate.pollNext();
      if (next === undefined) continue;
      this.nextGate = index;
      if (offset === 0) return next;
      return next.kind === 'buffer'
        ? { kind: 'buffer', records: next.records, channelIndex: next.channelIndex + offset }
        : { kind: 'event', event: next.event, channelIndex: next.channelIndex + offset };
    }
    return undefined;
  }

  getAvailableFuture(): Promise<void> {
    if (this.closed || this.isFinished()) return AVAILABLE;
    const waiting = (this.availability ??= deferred());
    for (let index = 0; index < this.gates.length; index++) {
      const gate = this.gates[index];
      if (gate === undefined || this.subscribed[index] === true || gate.isFinished()) continue;
      this.subscribed[index] = true;
      const onAvailable = (): void => {
        this.subscribed[index] = false;
        this.wakeUp();
      };
      gate.getAvailableFuture().then(onAvailable, onAvailable);
    }
    return waiting.promise;
  }

  isFinished(): boolean {
    if (this.closed) return true;
    for (const gate of this.gates) if (!gate.isFinished()) return false;
    return true;
  }

  blockChannel(channelIndex: number): void {
    const gateIndex = this.gateOfChannel(channelIndex);
    this.gates[gateIndex]?.blockChannel(channelIndex - (this.offsets[gateIndex] ?? 0));
  }

  resumeChannel(channelIndex: number): void {
    const gateIndex = this.gateOfChannel(channelIndex);
    this.gates[gateIndex]?.resumeChannel(channelIndex - (this.offsets[gateIndex] ?? 0));
  }

  resumeAll(): void {
    for (const gate of this.gates) gate.resumeAll();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const gate of this.gates) gate.close();
    this.wakeUp();
  }

  /** The index of the gate that union channel `channelIndex` belongs to (binary search over the offsets). */
  private gateOfChannel(channelIndex: number): number {
    if (!Number.isInteger(channelIndex) || channelIndex < 0 || channelIndex >= this.numberOfChannels) {
      throw new IllegalArgumentError(
        `There is no input channel ${channelIndex} (of ${this.numberOfChannels}) in this union gate.`,
      );
    }
    let low = 0;
    let high = this.offsets.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.offsets[middle] ?? 0) <= channelIndex) low = middle;
      else high = middle - 1;
    }
    // Gates without channels share their offset with the next gate: take the last one that has it.
    return low;
  }

  private wakeUp(): void {
    const waiting = this.availability;
    if (waiting === undefined) return;
    this.availability = undefined;
    waiting.resolve();
  }
}
