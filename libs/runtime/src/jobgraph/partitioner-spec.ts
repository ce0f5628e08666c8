/**
 * How a producer distributes records over the subpartitions of one output (Flink's
 * StreamPartitioner, chosen per edge):
 * - `forward`: everything to the one connected consumer (POINTWISE, equal parallelism);
 * - `rescale`: round robin over the consumers a POINTWISE producer connects to;
 * - `rebalance`: round robin over all consumers (ALL_TO_ALL);
 * - `hash`: by key group of the record's key (ALL_TO_ALL); `keyField` picks the key from an array
 *   or object record, otherwise the whole record is the key;
 * - `broadcast`: every record to every consumer (ALL_TO_ALL).
 */
export type PartitionerSpec =
  | { readonly type: 'forward' }
  | { readonly type: 'rescale' }
  | { readonly type: 'rebalance' }
  | { readonly type: 'broadcast' }
  | { readonly type: 'hash'; readonly keyField?: number | string };

export type PartitionerType = PartitionerSpec['type'];

export const PARTITIONER_TYPES: readonly PartitionerType[] = [
  'forward',
  'rescale',
  'rebalance',
  'broadcast',
  'hash',
];

/** Flink's ship strategy names, shown in plans and the dashboard. */
export function shipStrategyName(spec: PartitionerSpec): string {
  return spec.type === 'hash' ? 'HASH' : spec.type.toUpperCase();
}

/** Which partitioners fit a distribution pattern. */
export function partitionerFitsPattern(spec: PartitionerSpec, pattern: 'ALL_TO_ALL' | 'POINTWISE'): boolean {
  return pattern === 'POINTWISE'
    ? spec.type === 'forward' || spec.type === 'rescale'
    : spec.type !== 'forward' && spec.type !== 'rescale';
}
