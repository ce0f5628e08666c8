import { IllegalArgumentError } from './errors.js';
import { MemorySize } from './memory-size.js';

/** Plain-data form of a ResourceProfile, as it travels in RPC messages and REST responses. */
export interface ResourceProfileJson {
  readonly cpuCores: number;
  readonly taskHeapMemory: number;
  readonly taskOffHeapMemory: number;
  readonly managedMemory: number;
  readonly networkMemory: number;
  /** True only for ResourceProfile.ANY: matches every slot. */
  readonly unknown?: boolean;
}

/**
 * The resources a slot offers or a task asks for (Flink's ResourceProfile): CPU cores and four
 * kinds of memory. `ANY` (Flink's UNKNOWN) is a request that any slot satisfies; `ZERO` asks for
 * nothing. Immutable.
 */
export class ResourceProfile {
  static readonly ZERO = new ResourceProfile(
    0,
    MemorySize.ZERO,
    MemorySize.ZERO,
    MemorySize.ZERO,
    MemorySize.ZERO,
    false,
  );
  static readonly ANY = new ResourceProfile(
    Number.MAX_SAFE_INTEGER,
    MemorySize.MAX_VALUE,
    MemorySize.MAX_VALUE,
    MemorySize.MAX_VALUE,
    MemorySize.MAX_VALUE,
    true,
  );
  /** Flink's name for ANY. */
  static readonly UNKNOWN = ResourceProfile.ANY;

  private constructor(
    private readonly cpuCores: number,
    private readonly taskHeapMemory: MemorySize,
    private readonly taskOffHeapMemory: MemorySize,
    private readonly managedMemory: MemorySize,
    private readonly networkMemory: MemorySize,
    private readonly unknown: boolean,
  ) {}

  static fromResources(
    cpuCores: number,
    taskHeapMemory: MemorySize,
    taskOffHeapMemory: MemorySize = MemorySize.ZERO,
    managedMemory: MemorySize = MemorySize.ZERO,
    networkMemory: MemorySize = MemorySize.ZERO,
  ): ResourceProfile {
    if (!Number.isFinite(cpuCores) || cpuCores < 0) {
      throw new IllegalArgumentError(`CPU cores must be a number >= 0, got ${cpuCores}.`);
    }
    return new ResourceProfile(
      cpuCores,
      taskHeapMemory,
      taskOffHeapMemory,
      managedMemory,
      networkMemory,
      false,
    );
  }

  static fromJson(json: ResourceProfileJson): ResourceProfile {
    if (json.unknown === true) return ResourceProfile.ANY;
    return ResourceProfile.fromResources(
      json.cpuCores,
      MemorySize.ofBytes(json.taskHeapMemory),
      MemorySize.ofBytes(json.taskOffHeapMemory),
      MemorySize.ofBytes(json.managedMemory),
      MemorySize.ofBytes(json.networkMemory),
    );
  }

  getCpuCores(): number {
    return this.cpuCores;
  }
  getTaskHeapMemory(): MemorySize {
    return this.taskHeapMemory;
  }
  getTaskOffHeapMemory(): MemorySize {
    return this.taskOffHeapMemory;
  }
  getManagedMemory(): MemorySize {
    return this.managedMemory;
  }
  getNetworkMemory(): MemorySize {
    return this.networkMemory;
  }
  getTotalMemory(): MemorySize {
    return this.taskHeapMemory.add(this.taskOffHeapMemory).add(this.managedMemory).add(this.networkMemory);
  }
  isUnknown(): boolean {
    return this.unknown;
  }

  /** Whether a slot with these resources can run a request for `required` (ANY fits every slot). */
  isMatching(required: ResourceProfile): boolean {
    if (required.unknown) return true;
    if (this.unknown) return true;
    return this.allFieldsNoLessThan(required);
  }

  allFieldsNoLessThan(other: ResourceProfile): boolean {
    return (
      this.cpuCores >= other.cpuCores &&
      this.taskHeapMemory.compareTo(other.taskHeapMemory) >= 0 &&
      this.taskOffHeapMemory.compareTo(other.taskOffHeapMemory) >= 0 &&
      this.managedMemory.compareTo(other.managedMemory) >= 0 &&
      this.networkMemory.compareTo(other.networkMemory) >= 0
    );
  }

  merge(other: ResourceProfile): ResourceProfile {
    if (this.unknown || other.unknown) return ResourceProfile.ANY;
    return new ResourceProfile(
      this.cpuCores + other.cpuCores,
      this.taskHeapMemory.add(other.taskHeapMemory),
      this.taskOffHeapMemory.add(other.taskOffHeapMemory),
      this.managedMemory.add(other.managedMemory),
      this.networkMemory.add(other.networkMemory),
      false,
    );
  }

  subtract(other: ResourceProfile): ResourceProfile {
    if (this.unknown || other.unknown) return ResourceProfile.ANY;
    if (!this.allFieldsNoLessThan(other)) {
      throw new IllegalArgumentError(`Cannot subtract ${other.toString()} from ${this.toString()}.`);
    }
    return new ResourceProfile(
      this.cpuCores - other.cpuCores,
      this.taskHeapMemory.subtract(other.taskHeapMemory),
      this.taskOffHeapMemory.subtract(other.taskOffHeapMemory),
      this.managedMemory.subtract(other.managedMemory),
      this.networkMemory.subtract(other.networkMemory),
      false,
    );
  }

  /** This profile split evenly into `parts` (the slots of a TaskExecutor). */
  divide(parts: number): ResourceProfile {
    if (!Number.isInteger(parts) || parts < 1)
      throw new IllegalArgumentError(`Cannot divide into ${parts} parts.`);
    if (this.unknown) return ResourceProfile.ANY;
    return new ResourceProfile(
      this.cpuCores / parts,
      this.taskHeapMemory.divide(parts),
      this.taskOffHeapMemory.divide(parts),
      this.managedMemory.divide(parts),
      this.networkMemory.divide(parts),
      false,
    );
  }

  equals(other: ResourceProfile): boolean {
    return (
      this.unknown === other.unknown &&
      this.cpuCores === other.cpuCores &&
      this.taskHeapMemory.equals(other.taskHeapMemory) &&
      this.taskOffHeapMemory.equals(other.taskOffHeapMemory) &&
      this.managedMemory.equals(other.managedMemory) &&
      this.networkMemory.equals(other.networkMemory)
    );
  }

  toJson(): ResourceProfileJson {
    if (this.unknown) {
      return {
        cpuCores: 0,
        taskHeapMemory: 0,
        taskOffHeapMemory: 0,
        managedMemory: 0,
        networkMemory: 0,
        unknown: true,
      };
    }
    return {
      cpuCores: this.cpuCores,
      taskHeapMemory: this.taskHeapMemory.getBytes(),
      taskOffHeapMemory: this.taskOffHeapMemory.getBytes(),
      managedMemory: this.managedMemory.getBytes(),
      networkMemory: this.networkMemory.getBytes(),
    };
  }

  toString(): string {
    if (this.unknown) return 'ResourceProfile{UNKNOWN}';
    return (
      `ResourceProfile{cpuCores=${this.cpuCores}, taskHeapMemory=${this.taskHeapMemory.toString()}, ` +
      `taskOffHeapMemory=${this.taskOffHeapMemory.toString()}, managedMemory=${this.managedMemory.toString()}, ` +
      `networkMemory=${this.networkMemory.toString()}}`
    );
  }
}
