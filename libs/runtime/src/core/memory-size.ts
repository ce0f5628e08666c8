import { IllegalArgumentError } from './errors.js';

const UNITS: readonly (readonly [readonly string[], number])[] = [
  [['b', 'bytes'], 1],
  [['k', 'kb', 'kibibytes'], 1024],
  [['m', 'mb', 'mebibytes'], 1024 ** 2],
  [['g', 'gb', 'gibibytes'], 1024 ** 3],
  [['t', 'tb', 'tebibytes'], 1024 ** 4],
];

/**
 * An amount of memory in bytes, parsed and printed as Flink does (`64mb`, `1 gb`, `512k`; a bare
 * number is bytes). Immutable.
 */
export class MemorySize {
  static readonly ZERO = new MemorySize(0);
  /** Larger than any real amount; used by ResourceProfile.ANY. */
  static readonly MAX_VALUE = new MemorySize(Number.MAX_SAFE_INTEGER);

  private constructor(private readonly bytes: number) {}

  static ofBytes(bytes: number): MemorySize {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new IllegalArgumentError(`A memory size must be a whole number of bytes >= 0, got ${bytes}.`);
    }
    return bytes === 0 ? MemorySize.ZERO : new MemorySize(bytes);
  }

  static ofMebiBytes(mebiBytes: number): MemorySize {
    return MemorySize.ofBytes(Math.round(mebiBytes * 1024 ** 2));
  }

  /** Parses `"64mb"`, `"1 g"`, `"1024"`; throws naming the text when it is not a size. */
  static parse(text: string): MemorySize {
    const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
    if (match === null) throw new IllegalArgumentError(`'${text}' is not a memory size (for example 64mb).`);
    const amount = Number(match[1]);
    const unit = (match[2] ?? '').toLowerCase();
    const multiplier = unit === '' ? 1 : UNITS.find(([names]) => names.includes(unit))?.[1];
    if (multiplier === undefined) {
      throw new IllegalArgumentError(
        `'${text}' has an unknown memory unit '${unit}' (use b, kb, mb, gb or tb).`,
      );
    }
    return MemorySize.ofBytes(Math.round(amount * multiplier));
  }

  getBytes(): number {
    return this.bytes;
  }

  getKibiBytes(): number {
    return Math.floor(this.bytes / 1024);
  }

  getMebiBytes(): number {
    return Math.floor(this.bytes / 1024 ** 2);
  }

  add(other: MemorySize): MemorySize {
    return MemorySize.ofBytes(Math.min(Number.MAX_SAFE_INTEGER, this.bytes + other.bytes));
  }

  subtract(other: MemorySize): MemorySize {
    if (other.bytes > this.bytes) {
      throw new IllegalArgumentError(`Cannot subtract ${other.toString()} from ${this.toString()}.`);
    }
    return MemorySize.ofBytes(this.bytes - other.bytes);
  }

  multiply(factor: number): MemorySize {
    return MemorySize.ofBytes(Math.floor(this.bytes * factor));
  }

  divide(by: number): MemorySize {
    return MemorySize.ofBytes(Math.floor(this.bytes / by));
  }

  compareTo(other: MemorySize): number {
    return Math.sign(this.bytes - other.bytes);
  }

  equals(other: MemorySize): boolean {
    return this.bytes === other.bytes;
  }

  /** The largest whole unit that represents the size exactly, as Flink prints it (`64 mb`). */
  toString(): string {
    for (let i = UNITS.length - 1; i > 0; i--) {
      const [names, multiplier] = UNITS[i] ?? [[], 1];
      if (this.bytes !== 0 && this.bytes % multiplier === 0)
        return `${this.bytes / multiplier} ${names[1] ?? ''}`;
    }
    return `${this.bytes} bytes`;
  }

  toJSON(): string {
    return this.toString();
  }
}
