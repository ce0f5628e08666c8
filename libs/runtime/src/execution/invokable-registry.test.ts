import { describe, expect, it } from 'vitest';

import { IllegalArgumentError } from '../core/errors.js';
import { BUILTIN_INVOKABLES, ForwardTask, SequenceSourceTask } from './builtins/index.js';
import { AbstractInvokable } from './invokable.js';
import { defaultInvokableRegistry, InvokableRegistry, UnknownInvokableError } from './invokable-registry.js';

const BUILTIN_NAMES = [
  'eddy.collect-sink',
  'eddy.count-sink',
  'eddy.discard-sink',
  'eddy.forward',
  'eddy.sequence-source',
  'eddy.sum-by-key',
  'eddy.text-generator-source',
  'eddy.tokenizer',
];

class Noop extends AbstractInvokable {
  invoke(): Promise<void> {
    return Promise.resolve();
  }
}

class OtherNoop extends AbstractInvokable {
  static readonly invokableName = 'test.noop';
  invoke(): Promise<void> {
    return Promise.resolve();
  }
}

describe('InvokableRegistry', () => {
  it('holds every built-in under its eddy.* name', () => {
    const registry = InvokableRegistry.withBuiltins();
    expect(registry.names()).toEqual(BUILTIN_NAMES);
    for (const invokable of BUILTIN_INVOKABLES)
      expect(registry.resolve(invokable.invokableName)).toBe(invokable);
    expect(defaultInvokableRegistry.names()).toEqual(expect.arrayContaining(BUILTIN_NAMES));
    expect(defaultInvokableRegistry.resolve('eddy.forward')).toBe(ForwardTask);
  });

  it('registers classes under a name or their own name', () => {
    const registry = new InvokableRegistry()
      .register('noop', Noop)
      .registerClass(OtherNoop)
      .registerClass(Noop);
    expect(registry.resolve('noop')).toBe(Noop);
    expect(registry.resolve('Noop')).toBe(Noop);
    expect(registry.resolve('test.noop')).toBe(OtherNoop);
    expect(registry.has('noop')).toBe(true);
    expect(registry.has('nope')).toBe(false);
    expect(registry.names()).toEqual(['Noop', 'noop', 'test.noop']);
  });

  it('accepts the same class twice but not another class under a taken name', () => {
    const registry = InvokableRegistry.withBuiltins();
    registry.register('eddy.sequence-source', SequenceSourceTask);
    expect(() => registry.register('eddy.sequence-source', Noop)).toThrow(IllegalArgumentError);
    expect(() => registry.register('eddy.sequence-source', Noop)).toThrow(/Noop.*SequenceSourceTask/);
    expect(registry.resolve('eddy.sequence-source')).toBe(SequenceSourceTask);
    expect(() => registry.register('', Noop)).toThrow(IllegalArgumentError);
  });

  it('names the missing invokable and the registered ones', () => {
    const registry = new InvokableRegistry().register('a', Noop).register('b', OtherNoop);
    let thrown: unknown;
    try {
      registry.resolve('missing');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnknownInvokableError);
    expect(thrown).toMatchObject({
      name: 'UnknownInvokableError',
      invokableName: 'missing',
      registeredNames: ['a', 'b'],
      message: "No invokable is registered under 'missing'. Registered invokables: a, b.",
    });
    expect(() => new InvokableRegistry().resolve('x')).toThrow('Registered invokables: (none).');
  });
});
