import { describe, expect, it } from 'vitest';

import { IllegalArgumentError } from '../../core/errors.js';
import { KeyGroupRangeAssignment } from '../../state/key-group-range-assignment.js';
import {
  BroadcastChannelSelector,
  ForwardChannelSelector,
  KeyGroupChannelSelector,
  RoundRobinChannelSelector,
  createChannelSelector,
} from './partitioners.js';
import { range } from './testing/network-test-utils.js';

function counts(select: (i: number) => number, records: number, channels: number): number[] {
  const result = new Array<number>(channels).fill(0);
  for (let i = 0; i < records; i++) {
    const channel = select(i);
    result[channel] = (result[channel] ?? 0) + 1;
  }
  return result;
}

describe('partitioners', () => {
  it('forward sends everything to channel 0, and behaves as rescale over several channels', () => {
    const single = createChannelSelector({ type: 'forward' }, 1, 3, 128);
    expect(single).toBeInstanceOf(ForwardChannelSelector);
    expect(range(5).map((i) => single.selectChannel(i))).toEqual([0, 0, 0, 0, 0]);

    const several = createChannelSelector({ type: 'forward' }, 3, 1, 128);
    expect(several).toBeInstanceOf(RoundRobinChannelSelector);
    expect(range(6).map((i) => several.selectChannel(i))).toEqual([1, 2, 0, 1, 2, 0]);
  });

  it('rebalance and rescale go round robin from subtaskIndex % n and spread evenly', () => {
    const rebalance = createChannelSelector({ type: 'rebalance' }, 4, 6, 128);
    expect(range(6).map((i) => rebalance.selectChannel(i))).toEqual([2, 3, 0, 1, 2, 3]);
    const spread = counts((i) => rebalance.selectChannel(i), 10_000, 4);
    expect(spread).toEqual([2500, 2500, 2500, 2500]);

    const rescale = createChannelSelector({ type: 'rescale' }, 2, 0, 128);
    expect(range(4).map((i) => rescale.selectChannel(i))).toEqual([0, 1, 0, 1]);
  });

  it('broadcast is marked as such and selects no single channel', () => {
    const broadcast = createChannelSelector({ type: 'broadcast' }, 4, 0, 128);
    expect(broadcast).toBeInstanceOf(BroadcastChannelSelector);
    expect(broadcast.isBroadcast()).toBe(true);
    expect(() => broadcast.selectChannel('x')).toThrow(IllegalArgumentError);
  });

  it('hash routes a key always to the subtask that owns its key group', () => {
    const maxParallelism = 128;
    const channels = 5;
    const selector = createChannelSelector<string>({ type: 'hash' }, channels, 0, maxParallelism);
    expect(selector).toBeInstanceOf(KeyGroupChannelSelector);
    const keys = range(2000).map((i) => `key-${i}`);
    for (const key of keys) {
      const channel = selector.selectChannel(key);
      expect(channel).toBe(
        KeyGroupRangeAssignment.assignKeyToParallelOperator(key, maxParallelism, channels),
      );
      expect(selector.selectChannel(key)).toBe(channel);
      const keyGroup = KeyGroupRangeAssignment.assignToKeyGroup(key, maxParallelism);
      const owned = KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
        maxParallelism,
        channels,
        channel,
      );
      expect(keyGroup).toBeGreaterThanOrEqual(owned.startKeyGroup);
      expect(keyGroup).toBeLessThanOrEqual(owned.endKeyGroup);
    }
    // Every channel gets some keys.
    expect(
      counts((i) => selector.selectChannel(keys[i] ?? ''), keys.length, channels).every((n) => n > 0),
    ).toBe(true);
  });

  it('hash reads the key from an array index or an object field', () => {
    const byIndex = createChannelSelector<[string, number]>({ type: 'hash', keyField: 0 }, 4, 0, 256);
    const byField = createChannelSelector<{ word: string; n: number }>(
      { type: 'hash', keyField: 'word' },
      4,
      0,
      256,
    );
    for (const word of ['a', 'flink', 'eddy', 'stream', 'batch']) {
      const expected = KeyGroupRangeAssignment.assignKeyToParallelOperator(word, 256, 4);
      expect(byIndex.selectChannel([word, 1])).toBe(expected);
      expect(byIndex.selectChannel([word, 2])).toBe(expected);
      expect(byField.selectChannel({ word, n: 7 })).toBe(expected);
    }
    expect(() => byIndex.selectChannel(42 as unknown as [string, number])).toThrow(IllegalArgumentError);
  });

  it('rejects a max parallelism below the number of channels', () => {
    expect(() => createChannelSelector({ type: 'hash' }, 8, 0, 4)).toThrow(IllegalArgumentError);
    expect(() => createChannelSelector({ type: 'rebalance' }, 0, 0, 4)).toThrow(IllegalArgumentError);
  });
});
