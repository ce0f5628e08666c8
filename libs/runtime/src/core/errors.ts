/**
 * Errors of the engine. Each sets `name`, carries its data, and keeps its `cause`, so that a failure
 * can travel as plain data (see {@link SerializedError}) and still say what went wrong.
 */
export class EddyError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An argument a caller passed is not acceptable. */
export class IllegalArgumentError extends EddyError {}

/** An operation was called in a state that does not allow it. */
export class IllegalStateError extends EddyError {}

/** A time limit passed. */
export class TimeoutError extends EddyError {}

/** A component was closed while an operation was pending. */
export class ComponentClosedError extends EddyError {}

/** Plain-data form of an error: how a failure crosses a process boundary and reaches a JobResult. */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly cause?: SerializedError;
}

export const SerializedError = {
  /** Captures any thrown value, keeping up to 8 levels of `cause`. */
  from(error: unknown, depth = 0): SerializedError {
    if (error instanceof Error) {
      const cause =
        error.cause !== undefined && depth < 8 ? SerializedError.from(error.cause, depth + 1) : undefined;
      return {
        name: error.name,
        message: error.message,
        ...(error.stack !== undefined ? { stack: error.stack } : {}),
        ...(cause !== undefined ? { cause } : {}),
      };
    }
    return { name: 'Error', message: typeof error === 'string' ? error : safeStringify(error) };
  },

  /** Turns the plain data back into an Error whose name, message, stack and cause are the original's. */
  toError(serialized: SerializedError): Error {
    const error = new Error(
      serialized.message,
      serialized.cause !== undefined ? { cause: SerializedError.toError(serialized.cause) } : undefined,
    );
    error.name = serialized.name;
    if (serialized.stack !== undefined) error.stack = serialized.stack;
    return error;
  },

  /** Java's `Throwable.toString()` followed by the stack, as Flink's `getFailureCauseAsString`. */
  toString(serialized: SerializedError): string {
    let text = serialized.stack ?? `${serialized.name}: ${serialized.message}`;
    if (serialized.cause !== undefined) text += `\nCaused by: ${SerializedError.toString(serialized.cause)}`;
    return text;
  },
};

function safeStringify(value: unknown): string {
  try {
    // JSON.stringify returns undefined for functions and undefined, whatever its declared type says.
    const text = JSON.stringify(value) as unknown;
    return typeof text === 'string' ? text : String(value);
  } catch {
    return String(value);
  }
}

/** A failure and when it happened (Flink's ErrorInfo). */
export interface ErrorInfo {
  readonly exception: SerializedError;
  readonly timestamp: number;
}
