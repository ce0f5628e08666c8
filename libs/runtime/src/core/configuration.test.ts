import { describe, expect, it } from 'vitest';

import { ConfigOptions, Configuration, parseDuration } from './configuration.js';
import { IllegalArgumentError } from './errors.js';
import { MemorySize } from './memory-size.js';

const PARALLELISM = ConfigOptions.key('parallelism.default').intType().defaultValue(1);
const RATIO = ConfigOptions.key('some.ratio').doubleType().defaultValue(0.5);
const ENABLED = ConfigOptions.key('some.enabled').booleanType().defaultValue(false);
const NAME = ConfigOptions.key('some.name').stringType().defaultValue('eddy');
const TIMEOUT = ConfigOptions.key('slot.request.timeout').durationType().defaultValue(300_000);
const MEMORY = ConfigOptions.key('taskmanager.memory.process.size')
  .memoryType()
  .defaultValue(MemorySize.ZERO);
const STRATEGY = ConfigOptions.key('restart-strategy.type')
  .enumType(['none', 'fixed-delay', 'exponential-delay'] as const)
  .defaultValue('none');
const OPTIONAL = ConfigOptions.key('some.optional').intType().noDefaultValue();

function expectInvalid(read: () => unknown, key: string, value: string): void {
  expect(read).toThrow(IllegalArgumentError);
  expect(read).toThrow(`Configuration '${key}' has the value '${value}'`);
}

describe('Configuration', () => {
  it('returns the default of an option that is not set', () => {
    const configuration = new Configuration();
    expect(configuration.get(PARALLELISM)).toBe(1);
    expect(configuration.get(TIMEOUT)).toBe(300_000);
    expect(configuration.get(STRATEGY)).toBe('none');
    expect(configuration.get(OPTIONAL)).toBeUndefined();
    expect(configuration.getOptional(PARALLELISM)).toBeUndefined();
    expect(configuration.contains(PARALLELISM)).toBe(false);
  });

  it('parses stored strings into typed values', () => {
    const configuration = Configuration.fromMap({
      'parallelism.default': ' 7 ',
      'some.ratio': '0.25',
      'some.enabled': 'TRUE',
      'some.name': 'flink',
      'restart-strategy.type': 'Fixed-Delay',
    });
    expect(configuration.get(PARALLELISM)).toBe(7);
    expect(configuration.get(RATIO)).toBe(0.25);
    expect(configuration.get(ENABLED)).toBe(true);
    expect(configuration.get(NAME)).toBe('flink');
    expect(configuration.get(STRATEGY)).toBe('fixed-delay');
    expect(configuration.getOptional(PARALLELISM)).toBe(7);
    expect(configuration.contains(PARALLELISM)).toBe(true);
  });

  it('takes JSON numbers and booleans as they are', () => {
    const configuration = Configuration.fromMap({
      'parallelism.default': 3,
      'some.enabled': false,
      'slot.request.timeout': 1500,
    });
    expect(configuration.get(PARALLELISM)).toBe(3);
    expect(configuration.get(ENABLED)).toBe(false);
    expect(configuration.get(TIMEOUT)).toBe(1500);
  });

  it.each([
    ['10 s', 10_000],
    ['10s', 10_000],
    ['1 min', 60_000],
    ['2m', 120_000],
    ['500ms', 500],
    ['500 milliseconds', 500],
    ['1h', 3_600_000],
    ['2 hours', 7_200_000],
    ['1 d', 86_400_000],
    ['3 seconds', 3000],
    ['250', 250],
  ])('parses the duration %s as %d ms', (text, ms) => {
    expect(Configuration.fromMap({ 'slot.request.timeout': text }).get(TIMEOUT)).toBe(ms);
    expect(parseDuration(text)).toBe(ms);
  });

  it('parses memory sizes', () => {
    const configuration = Configuration.fromMap({ 'taskmanager.memory.process.size': '1 gb' });
    expect(configuration.get(MEMORY).getBytes()).toBe(1024 ** 3);
  });

  it('writes typed values in a form it reads back', () => {
    const configuration = new Configuration()
      .set(TIMEOUT, 90_000)
      .set(MEMORY, MemorySize.ofMebiBytes(64))
      .set(STRATEGY, 'exponential-delay')
      .set(ENABLED, true)
      .set(PARALLELISM, 12);
    expect(configuration.toMap()).toEqual({
      'slot.request.timeout': '90 s',
      'taskmanager.memory.process.size': '64 mb',
      'restart-strategy.type': 'exponential-delay',
      'some.enabled': 'true',
      'parallelism.default': '12',
    });
    const reread = Configuration.fromMap(configuration.toMap());
    expect(reread.get(TIMEOUT)).toBe(90_000);
    expect(reread.get(MEMORY).getBytes()).toBe(64 * 1024 ** 2);
    expect(reread.get(STRATEGY)).toBe('exponential-delay');
    expect(reread.get(ENABLED)).toBe(true);
    expect(reread.get(PARALLELISM)).toBe(12);
  });

  it('reads fallback keys in order when the key itself is not set, and prefers the key', () => {
    const option = ConfigOptions.key('new.key')
      .durationType()
      .defaultValue(1000)
      .withFallbackKeys('old.key', 'older.key');
    expect(option.fallbackKeys).toEqual(['old.key', 'older.key']);
    expect(Configuration.fromMap({ 'older.key': '3 s' }).get(option)).toBe(3000);
    expect(Configuration.fromMap({ 'older.key': '3 s', 'old.key': '2 s' }).get(option)).toBe(2000);
    expect(Configuration.fromMap({ 'old.key': '2 s', 'new.key': '1 min' }).get(option)).toBe(60_000);
    expect(Configuration.fromMap({ 'old.key': '2 s' }).contains(option)).toBe(true);
    expect(new Configuration().get(option)).toBe(1000);
  });

  it('keeps the description and fallback keys when either is added', () => {
    const option = ConfigOptions.key('k')
      .intType()
      .defaultValue(5)
      .withFallbackKeys('legacy.k')
      .withDescription('A number.');
    expect(option.description).toBe('A number.');
    expect(option.fallbackKeys).toEqual(['legacy.k']);
    expect(option.defaultValue).toBe(5);
    expect(Configuration.fromMap({ 'legacy.k': '6' }).get(option)).toBe(6);
  });

  it('fails reading an invalid value, naming the key and the value', () => {
    expectInvalid(
      () => Configuration.fromMap({ 'parallelism.default': 'four' }).get(PARALLELISM),
      'parallelism.default',
      'four',
    );
    expectInvalid(
      () => Configuration.fromMap({ 'parallelism.default': '1.5' }).get(PARALLELISM),
      'parallelism.default',
      '1.5',
    );
    expectInvalid(
      () => Configuration.fromMap({ 'parallelism.default': '' }).get(PARALLELISM),
      'parallelism.default',
      '',
    );
    expectInvalid(() => Configuration.fromMap({ 'some.ratio': 'NaN' }).get(RATIO), 'some.ratio', 'NaN');
    expectInvalid(() => Configuration.fromMap({ 'some.enabled': 'yes' }).get(ENABLED), 'some.enabled', 'yes');
    expectInvalid(
      () => Configuration.fromMap({ 'slot.request.timeout': '10 fortnights' }).get(TIMEOUT),
      'slot.request.timeout',
      '10 fortnights',
    );
    expectInvalid(
      () => Configuration.fromMap({ 'slot.request.timeout': '-1 s' }).get(TIMEOUT),
      'slot.request.timeout',
      '-1 s',
    );
    expectInvalid(
      () => Configuration.fromMap({ 'slot.request.timeout': -5 }).get(TIMEOUT),
      'slot.request.timeout',
      '-5',
    );
    expectInvalid(
      () => Configuration.fromMap({ 'taskmanager.memory.process.size': '1 zb' }).get(MEMORY),
      'taskmanager.memory.process.size',
      '1 zb',
    );
    expectInvalid(
      () => Configuration.fromMap({ 'restart-strategy.type': 'sometimes' }).get(STRATEGY),
      'restart-strategy.type',
      'sometimes',
    );
    expect(() => Configuration.fromMap({ 'restart-strategy.type': 'sometimes' }).get(STRATEGY)).toThrow(
      'one of none, fixed-delay, exponential-delay',
    );
  });

  it('names the fallback-read value when it is invalid, under the option key', () => {
    const option = ConfigOptions.key('new.key').intType().defaultValue(1).withFallbackKeys('old.key');
    expectInvalid(() => Configuration.fromMap({ 'old.key': 'x' }).get(option), 'new.key', 'x');
  });

  it('stores untyped values and copies independently', () => {
    const original = new Configuration().setString('a', 'x').setValue('b', 2);
    const copy = new Configuration(original);
    copy.setString('a', 'y');
    expect(original.getString('a')).toBe('x');
    expect(copy.getString('a')).toBe('y');
    expect(original.getString('b')).toBe('2');
    expect(original.getString('missing')).toBeUndefined();
    expect(original.getString('missing', 'fallback')).toBe('fallback');
    expect(original.keySet()).toEqual(['a', 'b']);
    expect(original.removeKey('a')).toBe(true);
    expect(original.removeKey('a')).toBe(false);
    expect(original.keySet()).toEqual(['b']);
  });

  it('addAll overrides what is set and keeps the rest', () => {
    const base = Configuration.fromMap({ a: '1', b: '2' });
    base.addAll(Configuration.fromMap({ b: '3', c: '4' }));
    expect(base.toMap()).toEqual({ a: '1', b: '3', c: '4' });
    expect(JSON.parse(JSON.stringify(base))).toEqual({ a: '1', b: '3', c: '4' });
  });
});

describe('parseDuration', () => {
  it('takes numbers as milliseconds and names the given key on failure', () => {
    expect(parseDuration(42)).toBe(42);
    expect(parseDuration('1.5 s')).toBe(1500);
    expect(() => parseDuration('soon', 'my.key')).toThrow("Configuration 'my.key' has the value 'soon'");
    expect(() => parseDuration(Number.POSITIVE_INFINITY)).toThrow(IllegalArgumentError);
  });
});
