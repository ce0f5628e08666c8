/** A path parameter is not a job ID (32 hexadecimal characters). */
export class InvalidJobIdError extends Error {
  override readonly name = 'InvalidJobIdError';
  constructor(readonly value: string) {
    super(`'${value}' is not a job ID: expected 32 hexadecimal characters.`);
  }
}

/** `PATCH /jobs/:jobid?mode=…` with a mode other than `cancel`. */
export class UnsupportedTerminationModeError extends Error {
  override readonly name = 'UnsupportedTerminationModeError';
  constructor(readonly mode: string) {
    super(
      mode === 'stop'
        ? 'Bad request, could not parse parameters: mode stop is not supported; use POST /jobs/:jobid/stop.'
        : `Bad request, could not parse parameters: unknown termination mode '${mode}' (expected cancel).`,
    );
  }
}

/** `:vertexid` names no vertex of the job (Flink answers 404). */
export class JobVertexNotFoundError extends Error {
  override readonly name = 'JobVertexNotFoundError';
  constructor(readonly vertexId: string) {
    super(`No vertex with ID '${vertexId}' exists.`);
  }
}

/** A query parameter has a value the route cannot use. */
export class InvalidQueryParameterError extends Error {
  override readonly name = 'InvalidQueryParameterError';
  constructor(
    readonly parameter: string,
    readonly value: string,
    expected: string,
  ) {
    super(`Bad request, could not parse parameters: ${parameter}='${value}' is not ${expected}.`);
  }
}
