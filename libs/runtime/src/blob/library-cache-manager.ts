import type { JobID } from '../core/ids.js';
import type { InvokableClass } from '../execution/invokable.js';
import { UnknownInvokableError, defaultInvokableRegistry } from '../execution/invokable-registry.js';
import type { InvokableRegistry } from '../execution/invokable-registry.js';

/** How a TaskExecutor turns an invokable name from a deployment descriptor into a class. */
export interface UserCodeResolver {
  /** @throws UnknownInvokableError naming the invokable when neither the job nor the built-ins have it */
  resolveInvokable(jobId: JobID, name: string): InvokableClass;
}

/**
 * The user code of running jobs (Flink's LibraryCacheManager, which holds each job's class loader):
 * the invokable classes a job was submitted with, by name, looked up before the registered
 * built-ins. Jobs are registered on submission and released when they end.
 */
export class LibraryCacheManager implements UserCodeResolver {
  private readonly jobs = new Map<JobID, Map<string, InvokableClass>>();

  constructor(private readonly registry: InvokableRegistry = defaultInvokableRegistry) {}

  registerJob(jobId: JobID, classes: ReadonlyMap<string, InvokableClass>): void {
    this.jobs.set(jobId, new Map(classes));
  }

  unregisterJob(jobId: JobID): void {
    this.jobs.delete(jobId);
  }

  hasJob(jobId: JobID): boolean {
    return this.jobs.has(jobId);
  }

  /** Whether `name` resolves for `jobId` (job classes, then registered ones). */
  isKnown(jobId: JobID | undefined, name: string): boolean {
    return (jobId !== undefined && this.jobs.get(jobId)?.has(name) === true) || this.registry.has(name);
  }

  resolveInvokable(jobId: JobID, name: string): InvokableClass {
    const own = this.jobs.get(jobId)?.get(name);
    if (own !== undefined) return own;
    if (this.registry.has(name)) return this.registry.resolve(name);
    throw new UnknownInvokableError(name, this.registry.names());
  }
}
