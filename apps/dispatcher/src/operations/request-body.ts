import { BadOperationRequestError } from './operations.errors.js';

/** A trigger's JSON body as a record of fields (an absent body is `{}`); 400 for anything else. */
export function requestFields(body: unknown): Readonly<Record<string, unknown>> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw new BadOperationRequestError(
      'Bad request received. Request did not conform to expected format: expected a JSON object.',
    );
  return body as Record<string, unknown>;
}

function invalid(field: string, expected: string): BadOperationRequestError {
  return new BadOperationRequestError(
    `Bad request received. Request did not conform to expected format: '${field}' must be ${expected}.`,
  );
}

/** An optional string field (null counts as absent). */
export function optionalString(fields: Readonly<Record<string, unknown>>, field: string): string | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '') throw invalid(field, 'a non-empty string');
  return value;
}

/** An optional boolean field (null counts as absent). */
export function optionalBoolean(
  fields: Readonly<Record<string, unknown>>,
  field: string,
): boolean | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw invalid(field, 'a boolean');
  return value;
}

/** An optional field among `values` (null counts as absent). */
export function optionalEnum<T extends string>(
  fields: Readonly<Record<string, unknown>>,
  field: string,
  values: readonly T[],
): T | undefined {
  const value = fields[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value))
    throw invalid(field, `one of ${values.join(', ')}`);
  return value as T;
}
