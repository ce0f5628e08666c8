import { ConfigOptions } from '../core/configuration.js';
import { SerializedError } from '../core/errors.js';
import type { TaskManagerLocation } from '../core/task-manager-location.js';
import type { ExceptionHistoryEntry } from '../executiongraph/archived-execution-graph.js';

/** `web.exception-history-size`: how many root failures a job keeps (Flink's default 16). */
export const EXCEPTION_HISTORY_SIZE = ConfigOptions.key('web.exception-history-size')
  .intType()
  .defaultValue(16)
  .withDescription('The number of failures kept in the exception history of each job.');

/** The failures a job went through, newest last, bounded in size (Flink's exception history). */
export class ExceptionHistory {
  private readonly entries: ExceptionHistoryEntry[] = [];

  constructor(private readonly maxSize: number) {}

  add(error: Error, timestamp: number, failingTaskName?: string, location?: TaskManagerLocation): void {
    this.entries.push({
      exception: SerializedError.from(error),
      timestamp,
      ...(failingTaskName !== undefined ? { failingTaskName } : {}),
      ...(location !== undefined ? { taskManagerLocation: location } : {}),
      concurrentExceptions: [],
    });
    if (this.entries.length > this.maxSize) this.entries.splice(0, this.entries.length - this.maxSize);
  }

  getEntries(): readonly ExceptionHistoryEntry[] {
    return this.entries;
  }
}
