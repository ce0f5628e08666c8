import { Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { DataSource, LessThan } from 'typeorm';
import type { Repository } from 'typeorm';
import { AsyncOperationEntity } from '../engine/entities/async-operation.entity.js';
import { OperationNotFoundError, TriggerIdConflictError } from './operations.errors.js';
import { newTriggerId } from './trigger-id.js';

/** `rest.async.store-duration`: how long completed results stay answerable. Flink's default, 5 minutes. */
export const ASYNC_STORE_DURATION_MS = 5 * 60_000;

/** The kinds of operation the service records (`async_operations.operation_type`). */
export type AsyncOperationKind = 'checkpoint' | 'savepoint' | 'stop-with-savepoint' | 'savepoint-disposal';

/** Flink's SerializedThrowable on the wire. */
export interface SerializedFailure {
  readonly class: string;
  readonly 'stack-trace': string;
}

/** An operation as polled: running, succeeded with a result, or failed with a cause. */
export type AsyncOperationState =
  | { readonly status: 'IN_PROGRESS' }
  | { readonly status: 'COMPLETED'; readonly result: Record<string, unknown> }
  | { readonly status: 'COMPLETED'; readonly failure: SerializedFailure };

export interface OperationKey {
  /** Null for cluster operations (savepoint disposal). */
  readonly jobId: string | null;
  /** The client's trigger ID; a new one when absent. */
  readonly triggerId?: string;
  readonly kind: AsyncOperationKind;
}

/** The failure cause of an operation's error: its class name and stack. */
export function serializeFailure(error: unknown): SerializedFailure {
  if (error instanceof Error)
    return { class: error.name, 'stack-trace': error.stack ?? `${error.name}: ${error.message}` };
  return { class: 'Error', 'stack-trace': String(error) };
}

/**
 * Flink's asynchronous operation pattern on the `async_operations` table: a trigger records the
 * operation under its trigger ID and starts it; the poll reads the row. Idempotent on
 * (job ID, trigger ID): re-triggering an existing key answers the same ID and starts nothing.
 * Completed results are kept {@link ASYNC_STORE_DURATION_MS}. Operations still running when the
 * service stopped are recorded as failed on the next start (their engine work is gone).
 */
@Injectable()
export class AsyncOperationsService implements OnModuleInit {
  private readonly logger = new Logger(AsyncOperationsService.name);
  private readonly operations: Repository<AsyncOperationEntity>;

  constructor(private readonly dataSource: DataSource) {
    this.operations = dataSource.getRepository(AsyncOperationEntity);
  }

  async onModuleInit(): Promise<void> {
    await this.operations.update(
      { status: 'IN_PROGRESS' },
      {
        status: 'COMPLETED',
        failureCause: {
          class: 'OperationInterruptedError',
          'stack-trace': 'OperationInterruptedError: The Dispatcher stopped while the operation was running.',
        },
        completedAt: new Date(),
      },
    );
  }

  /**
   * The trigger ID of the operation under `key` when it exists (of the same job and kind), else
   * undefined; TriggerIdConflictError when the ID names another job's or kind's operation.
   */
  async existing(
    key: OperationKey,
    kinds: readonly AsyncOperationKind[] = [key.kind],
  ): Promise<string | undefined> {
    if (key.triggerId === undefined) return undefined;
    const row = await this.operations.findOneBy({ triggerId: key.triggerId });
    if (row === null || this.expired(row)) return undefined;
    if (row.jobId !== key.jobId || !kinds.includes(row.operationType as AsyncOperationKind))
      throw new TriggerIdConflictError(key.triggerId);
    return row.triggerId;
  }

  /**
   * Records the operation and starts `run` unless the key exists already; resolves with the
   * trigger ID once recorded (not when the operation ends).
   */
  async trigger(key: OperationKey, run: () => Promise<Record<string, unknown>>): Promise<string> {
    await this.sweep();
    const triggerId = key.triggerId ?? newTriggerId();
    const inserted = await this.operations
      .createQueryBuilder()
      .insert()
      .values({ triggerId, jobId: key.jobId, operationType: key.kind, status: 'IN_PROGRESS' })
      .orIgnore()
      .returning(['triggerId'])
      .execute();
    const raw: unknown = inserted.raw;
    if (!Array.isArray(raw) || raw.length === 0) {
      // Another request with this key won the race (or the ID is taken): no second start.
      const winner = await this.existing({ ...key, triggerId });
      if (winner === undefined) throw new TriggerIdConflictError(triggerId);
      return winner;
    }
    void this.complete(triggerId, run);
    return triggerId;
  }

  /** The operation's state; OperationNotFoundError when unknown, of another job or kind, or expired. */
  async get(
    jobId: string | null,
    triggerId: string,
    kinds: readonly AsyncOperationKind[],
  ): Promise<AsyncOperationState> {
    const row = await this.operations.findOneBy({ triggerId });
    if (
      row === null ||
      row.jobId !== jobId ||
      !kinds.includes(row.operationType as AsyncOperationKind) ||
      this.expired(row)
    )
      throw new OperationNotFoundError(
        jobId === null
          ? `OperationKey{triggerId=${triggerId}}`
          : `AsynchronousJobOperationKey{triggerId=${triggerId}, jobId=${jobId}}`,
      );
    if (row.status === 'IN_PROGRESS') return { status: 'IN_PROGRESS' };
    if (row.failureCause !== null)
      return { status: 'COMPLETED', failure: row.failureCause as unknown as SerializedFailure };
    return { status: 'COMPLETED', result: row.operation ?? {} };
  }

  private async complete(triggerId: string, run: () => Promise<Record<string, unknown>>): Promise<void> {
    let operation: Record<string, unknown> | null = null;
    let failureCause: Record<string, unknown> | null = null;
    try {
      operation = await run();
    } catch (error) {
      failureCause = { ...serializeFailure(error) };
    }
    try {
      if (!this.dataSource.isInitialized) return;
      await this.dataSource.query(
        `UPDATE async_operations SET status = 'COMPLETED', operation = $2::jsonb, failure_cause = $3::jsonb,
           completed_at = now() WHERE trigger_id = $1`,
        [
          triggerId,
          operation === null ? null : JSON.stringify(operation),
          failureCause === null ? null : JSON.stringify(failureCause),
        ],
      );
    } catch (error) {
      this.logger.warn(`Could not record the end of operation ${triggerId}: ${String(error)}`);
    }
  }

  private expired(row: AsyncOperationEntity): boolean {
    return row.completedAt !== null && row.completedAt.getTime() + ASYNC_STORE_DURATION_MS < Date.now();
  }

  /** Deletes results older than the store duration. */
  private async sweep(): Promise<void> {
    await this.operations.delete({ completedAt: LessThan(new Date(Date.now() - ASYNC_STORE_DURATION_MS)) });
  }
}
