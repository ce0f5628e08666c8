import type { ValueTransformer } from 'typeorm';

/** Epoch milliseconds in `bigint` columns: node-postgres returns them as strings. */
export const epochMillis: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
