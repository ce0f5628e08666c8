/**
 * How a keyed state backend stores keys in its `Map`s. Strings, numbers, booleans and bigints are
 * their own map key (they compare by value). An array compares by identity, so it is encoded as a
 * tagged string: `\0a` + its JSON with bigints and non-finite numbers tagged. A string that itself
 * starts with `\0` gets an `\0s` prefix, so no string can be mistaken for an encoded array.
 * The encoding is invertible ({@link fromStateMapKey}) and the same in every process, so map keys
 * travel in snapshots as they are.
 */
export type StateMapKey = string | number | boolean | bigint;

const TAG = '\u0000';
const ARRAY_PREFIX = `${TAG}a`;
const STRING_PREFIX = `${TAG}s`;

/**
 * The map key of a key. The key must already be validated (by its hash: see `hashCodeOf`):
 * a string, number, boolean, bigint or an array of these.
 */
export function toStateMapKey(key: unknown): StateMapKey {
  switch (typeof key) {
    case 'string':
      return key.charCodeAt(0) === 0 ? STRING_PREFIX + key : key;
    case 'number':
    case 'boolean':
    case 'bigint':
      return key;
    default:
      return ARRAY_PREFIX + JSON.stringify(key, encodeElement);
  }
}

/** The key a map key was made from (arrays come back as new, equal arrays). */
export function fromStateMapKey(mapKey: StateMapKey): unknown {
  if (typeof mapKey !== 'string' || mapKey.charCodeAt(0) !== 0) return mapKey;
  if (mapKey.startsWith(STRING_PREFIX)) return mapKey.slice(STRING_PREFIX.length);
  return JSON.parse(mapKey.slice(ARRAY_PREFIX.length), decodeElement) as unknown;
}

/** Elements JSON cannot carry: bigints as `{ "b": digits }`, NaN and ±Infinity as `{ "d": text }`. */
function encodeElement(_name: string, value: unknown): unknown {
  if (typeof value === 'bigint') return { b: value.toString() };
  if (typeof value === 'number' && !Number.isFinite(value)) return { d: String(value) };
  return value;
}

function decodeElement(_name: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const tagged = value as { b?: string; d?: string };
  return tagged.b !== undefined ? BigInt(tagged.b) : Number(tagged.d);
}
