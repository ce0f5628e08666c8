/**
 * A request the checkpoint, savepoint and async-operation routes refuse, with the HTTP status the
 * global filter answers (its message is the one entry of `errors`).
 */
export abstract class OperationRequestError extends Error {
  abstract readonly status: number;
}

/** A polled trigger ID that is unknown, belongs to another job, or whose result expired. */
export class OperationNotFoundError extends OperationRequestError {
  override readonly name = 'OperationNotFoundError';
  readonly status = 404;
  constructor(readonly key: string) {
    super(`Operation not found under key: ${key}`);
  }
}

/** A client-supplied trigger ID already names an operation of another kind or job. */
export class TriggerIdConflictError extends OperationRequestError {
  override readonly name = 'TriggerIdConflictError';
  readonly status = 409;
  constructor(readonly triggerId: string) {
    super(`The trigger ID ${triggerId} is already used by another operation.`);
  }
}

/** A malformed body or parameter, or a directory the service may not write to or delete (400). */
export class BadOperationRequestError extends OperationRequestError {
  override readonly name = 'BadOperationRequestError';
  readonly status = 400;
}

/** A resource of the checkpoint routes that does not exist (404): checkpointing off, unknown checkpoint… */
export class CheckpointResourceNotFoundError extends OperationRequestError {
  override readonly name = 'CheckpointResourceNotFoundError';
  readonly status = 404;
}
