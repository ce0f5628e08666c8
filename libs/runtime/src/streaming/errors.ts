import { EddyError } from '../core/errors.js';

/** A keyed operator (or keyed state access) where no keyed state backend exists. */
export class MissingKeyedStateBackendError extends EddyError {
  constructor(
    readonly uid: string,
    readonly reason: string,
  ) {
    super(`Operator '${uid}' has no keyed state: ${reason}. Keyed state needs a keyBy before the operator.`);
  }
}

/** A streaming job that cannot be compiled into a JobGraph; says which operator and why. */
export class InvalidStreamGraphError extends EddyError {
  constructor(
    message: string,
    readonly uid?: string,
  ) {
    super(uid === undefined ? message : `Operator '${uid}': ${message}`);
  }
}

/** The chain a StreamTask was generated for does not fit the task (wrong head, wrong outputs). */
export class InvalidOperatorChainError extends EddyError {}

/** A source's persisted position or split cannot be used (a changed source, a damaged state). */
export class InvalidSourceStateError extends EddyError {
  constructor(
    readonly sourceName: string,
    detail: string,
  ) {
    super(`Source '${sourceName}' cannot restore its position: ${detail}`);
  }
}
