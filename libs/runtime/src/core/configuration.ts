import { IllegalArgumentError } from './errors.js';
import { MemorySize } from './memory-size.js';

/** A value as stored in a Configuration: what JSON and environment variables can carry. */
export type ConfigValue = string | number | boolean;

/**
 * A typed configuration key with its default, documented once where it is declared (Flink's
 * ConfigOption). `parse` turns a stored value (often a string from a file or REST) into the typed
 * value, and throws naming the key when it cannot.
 */
export interface ConfigOption<T> {
  readonly key: string;
  readonly defaultValue: T;
  readonly description: string;
  /** Older keys still read when the key itself is not set. */
  readonly fallbackKeys: readonly string[];
  parse(value: ConfigValue): T;
  /** The stored form of a typed value. */
  format(value: T): ConfigValue;
}

type Parser<T> = (value: ConfigValue, key: string) => T;

function invalid(key: string, value: ConfigValue, expected: string): IllegalArgumentError {
  return new IllegalArgumentError(
    `Configuration '${key}' has the value '${String(value)}': expected ${expected}.`,
  );
}

const parseInteger: Parser<number> = (value, key) => {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  if (!Number.isSafeInteger(n)) throw invalid(key, value, 'a whole number');
  return n;
};

const parseNumber: Parser<number> = (value, key) => {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== ''
        ? Number(value)
        : NaN;
  if (!Number.isFinite(n)) throw invalid(key, value, 'a number');
  return n;
};

const parseBoolean: Parser<boolean> = (value, key) => {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw invalid(key, value, 'true or false');
};

const DURATION_UNITS: Record<string, number> = {
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  m: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
};

/** Durations in milliseconds: `1 s`, `10 min`, `500ms`, `1h`; a bare number is milliseconds (as Flink). */
export function parseDuration(value: ConfigValue, key = 'duration'): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw invalid(key, value, 'a duration >= 0');
    return value;
  }
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(String(value));
  const unit = (match?.[2] ?? '').toLowerCase();
  const multiplier = unit === '' ? 1 : DURATION_UNITS[unit];
  if (match === null || multiplier === undefined)
    throw invalid(key, value, 'a duration such as 10 s or 500 ms');
  return Math.round(Number(match[1]) * multiplier);
}

function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms !== 0 && ms % size === 0) return `${ms / size} ${unit}`;
  }
  return `${ms} ms`;
}

/** The ConfigOption implementation that ConfigOptions builds. */
export class TypedOption<T> implements ConfigOption<T> {
  constructor(
    readonly key: string,
    readonly defaultValue: T,
    private readonly parser: Parser<T>,
    private readonly formatter: (value: T) => ConfigValue,
    readonly description: string,
    readonly fallbackKeys: readonly string[],
  ) {}

  parse(value: ConfigValue): T {
    return this.parser(value, this.key);
  }

  format(value: T): ConfigValue {
    return this.formatter(value);
  }

  /** The same option with a doc comment, as shown by `/jobmanager/config` and the README. */
  withDescription(description: string): TypedOption<T> {
    return new TypedOption(
      this.key,
      this.defaultValue,
      this.parser,
      this.formatter,
      description,
      this.fallbackKeys,
    );
  }

  withFallbackKeys(...keys: string[]): TypedOption<T> {
    return new TypedOption(this.key, this.defaultValue, this.parser, this.formatter, this.description, keys);
  }
}

/** Chooses the type of an option under construction. */
export class OptionBuilder {
  constructor(private readonly key: string) {}

  private typed<T>(parser: Parser<T>, formatter: (value: T) => ConfigValue) {
    return {
      defaultValue: (value: T) => new TypedOption<T>(this.key, value, parser, formatter, '', []),
      noDefaultValue: () =>
        new TypedOption<T | undefined>(
          this.key,
          undefined,
          parser,
          (value) => (value === undefined ? '' : formatter(value)),
          '',
          [],
        ),
    };
  }

  intType() {
    return this.typed(parseInteger, (v) => v);
  }
  doubleType() {
    return this.typed(parseNumber, (v) => v);
  }
  booleanType() {
    return this.typed(parseBoolean, (v) => v);
  }
  stringType() {
    return this.typed(
      (v) => String(v),
      (v) => v,
    );
  }
  /** Milliseconds. */
  durationType() {
    return this.typed(parseDuration, formatDuration);
  }
  memoryType() {
    return this.typed(
      (v, key) => {
        try {
          return MemorySize.parse(String(v));
        } catch (error) {
          throw invalid(key, v, `a memory size (${(error as Error).message})`);
        }
      },
      (v) => v.toString(),
    );
  }
  enumType<E extends string>(values: readonly E[]) {
    return this.typed<E>(
      (v, key) => {
        const text = String(v).trim();
        const found = values.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
        if (found === undefined) throw invalid(key, v, `one of ${values.join(', ')}`);
        return found;
      },
      (v) => v,
    );
  }
}

/** Declares options: `ConfigOptions.key('slot.request.timeout').durationType().defaultValue(300_000)`. */
export const ConfigOptions = {
  key: (key: string) => new OptionBuilder(key),
};

/**
 * Key/value configuration (Flink's Configuration). Values are stored as given and parsed by the
 * option that reads them, so an invalid value fails when it is read, naming the key.
 */
export class Configuration {
  private readonly values: Map<string, ConfigValue>;

  constructor(other?: Configuration | Record<string, ConfigValue>) {
    if (other instanceof Configuration) this.values = new Map(other.values);
    else this.values = new Map(other === undefined ? [] : Object.entries(other));
  }

  static fromMap(entries: Record<string, ConfigValue>): Configuration {
    return new Configuration(entries);
  }

  get<T>(option: ConfigOption<T>): T {
    const raw = this.getRaw(option);
    return raw === undefined ? option.defaultValue : option.parse(raw);
  }

  /** The value if set (under its key or a fallback key), else undefined, ignoring the default. */
  getOptional<T>(option: ConfigOption<T>): T | undefined {
    const raw = this.getRaw(option);
    return raw === undefined ? undefined : option.parse(raw);
  }

  set<T>(option: ConfigOption<T>, value: T): this {
    this.values.set(option.key, option.format(value));
    return this;
  }

  contains(option: ConfigOption<unknown>): boolean {
    return this.getRaw(option) !== undefined;
  }

  setString(key: string, value: string): this {
    this.values.set(key, value);
    return this;
  }

  getString(key: string, defaultValue: string): string;
  getString(key: string): string | undefined;
  getString(key: string, defaultValue?: string): string | undefined {
    const value = this.values.get(key);
    return value === undefined ? defaultValue : String(value);
  }

  setValue(key: string, value: ConfigValue): this {
    this.values.set(key, value);
    return this;
  }

  removeKey(key: string): boolean {
    return this.values.delete(key);
  }

  keySet(): string[] {
    return [...this.values.keys()];
  }

  /** Adds all entries of `other`, overriding what is set here. */
  addAll(other: Configuration): this {
    for (const [key, value] of other.values) this.values.set(key, value);
    return this;
  }

  /** Every entry as strings, as Flink's REST `/config` endpoints show them. */
  toMap(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [key, value] of this.values) result[key] = String(value);
    return result;
  }

  toJSON(): Record<string, string> {
    return this.toMap();
  }

  private getRaw(option: ConfigOption<unknown>): ConfigValue | undefined {
    const direct = this.values.get(option.key);
    if (direct !== undefined) return direct;
    for (const key of option.fallbackKeys) {
      const value = this.values.get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  }
}
