import { describe, expect, it } from 'vitest';

import { ManualClock } from './clock.js';

describe('ManualClock', () => {
  it('starts where told and moves only on advance', () => {
    const clock = new ManualClock(1000);
    expect(clock.absoluteTimeMillis()).toBe(1000);
    expect(clock.relativeTimeMillis()).toBe(1000);
    clock.advance(250);
    expect(clock.absoluteTimeMillis()).toBe(1250);
    expect(new ManualClock().absoluteTimeMillis()).toBe(0);
  });

  it('runs due actions in time order, then in scheduling order, with the clock at their due time', () => {
    const clock = new ManualClock();
    const log: string[] = [];
    const record = (name: string) => () => log.push(`${name}@${clock.absoluteTimeMillis()}`);
    clock.schedule(record('c'), 30);
    clock.schedule(record('a1'), 10);
    clock.schedule(record('a2'), 10);
    clock.schedule(record('b'), 20);
    clock.schedule(record('late'), 100);
    expect(clock.numberOfScheduledTasks()).toBe(5);

    clock.advance(9);
    expect(log).toEqual([]);
    clock.advance(21);
    expect(log).toEqual(['a1@10', 'a2@10', 'b@20', 'c@30']);
    expect(clock.absoluteTimeMillis()).toBe(30);
    expect(clock.numberOfScheduledTasks()).toBe(1);
  });

  it('treats a negative delay as zero and runs it on the next advance', () => {
    const clock = new ManualClock(50);
    let ran = false;
    clock.schedule(() => {
      ran = true;
    }, -10);
    expect(ran).toBe(false);
    clock.advance(0);
    expect(ran).toBe(true);
  });

  it('runs actions scheduled by actions when they fall due within the same advance', () => {
    const clock = new ManualClock();
    const times: number[] = [];
    const tick = () => {
      times.push(clock.absoluteTimeMillis());
      clock.schedule(tick, 10);
    };
    clock.schedule(tick, 10);
    clock.advance(35);
    expect(times).toEqual([10, 20, 30]);
    expect(clock.absoluteTimeMillis()).toBe(35);
    expect(clock.numberOfScheduledTasks()).toBe(1);
  });

  it('never runs a cancelled action', () => {
    const clock = new ManualClock();
    let runs = 0;
    const task = clock.schedule(() => runs++, 5);
    clock.schedule(() => runs++, 5);
    task.cancel();
    expect(clock.numberOfScheduledTasks()).toBe(1);
    clock.advance(10);
    expect(runs).toBe(1);
    expect(clock.numberOfScheduledTasks()).toBe(0);
  });
});
