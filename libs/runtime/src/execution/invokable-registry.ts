import { EddyError, IllegalArgumentError } from '../core/errors.js';
import { invokableNameOf } from '../jobgraph/job-vertex.js';
import { BUILTIN_INVOKABLES } from './builtins/index.js';
import type { InvokableClass } from './invokable.js';

/** A task names an invokable that no registry entry provides. Carries the name and what is known. */
export class UnknownInvokableError extends EddyError {
  constructor(
    readonly invokableName: string,
    readonly registeredNames: readonly string[],
  ) {
    super(
      `No invokable is registered under '${invokableName}'. Registered invokables: ` +
        (registeredNames.length === 0 ? '(none)' : registeredNames.join(', ')) +
        '.',
    );
  }
}

/**
 * Maps invokable names to classes, so that a JobGraph (which names its vertices' invokables, as
 * Flink names classes) can be run by a TaskExecutor that loads them (Flink's user-code class
 * loader). Names are those of {@link invokableNameOf}: a class's static `invokableName`, else
 * its class name.
 */
export class InvokableRegistry {
  private readonly classes = new Map<string, InvokableClass>();

  /** A registry holding every built-in invokable (`eddy.*`). */
  static withBuiltins(): InvokableRegistry {
    const registry = new InvokableRegistry();
    for (const invokable of BUILTIN_INVOKABLES) registry.registerClass(invokable);
    return registry;
  }

  /**
   * Registers `invokable` under `name`. Registering the same class again is a no-op; another class
   * under a taken name is an IllegalArgumentError.
   */
  register(name: string, invokable: InvokableClass): this {
    if (name.length === 0) throw new IllegalArgumentError('An invokable name must not be empty.');
    const existing = this.classes.get(name);
    if (existing !== undefined && existing !== invokable) {
      throw new IllegalArgumentError(
        `Cannot register ${invokable.name} as invokable '${name}': ${existing.name} is registered under that name.`,
      );
    }
    this.classes.set(name, invokable);
    return this;
  }

  /** Registers `invokable` under its own name ({@link invokableNameOf}). */
  registerClass(invokable: InvokableClass): this {
    return this.register(invokableNameOf(invokable), invokable);
  }

  /** @throws UnknownInvokableError when nothing is registered under `name` */
  resolve(name: string): InvokableClass {
    const invokable = this.classes.get(name);
    if (invokable === undefined) throw new UnknownInvokableError(name, this.names());
    return invokable;
  }

  has(name: string): boolean {
    return this.classes.has(name);
  }

  /** The registered names, sorted. */
  names(): string[] {
    return [...this.classes.keys()].sort();
  }
}

/**
 * The process-wide registry, preloaded with the built-ins. Applications register their own
 * invokables here before submitting or running jobs that name them.
 */
export const defaultInvokableRegistry: InvokableRegistry = InvokableRegistry.withBuiltins();
