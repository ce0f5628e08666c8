import type { MemorySize } from '../core/memory-size.js';
import { ResourceProfile } from '../core/resource-profile.js';

/** The resources of one TaskExecutor process (Flink's WorkerResourceSpec). Immutable. */
export class WorkerResourceSpec {
  private constructor(
    private readonly cpuCores: number,
    private readonly taskHeapSize: MemorySize,
    private readonly taskOffHeapSize: MemorySize,
    private readonly networkMemSize: MemorySize,
    private readonly managedMemSize: MemorySize,
    private readonly numSlots: number,
  ) {}

  /** Takes a TaskExecutor's total profile; network memory is given separately, as Flink does. */
  static fromTotalResourceProfile(
    totalResourceProfile: ResourceProfile,
    networkMemorySize: MemorySize,
    numSlots = 1,
  ): WorkerResourceSpec {
    return new WorkerResourceSpec(
      totalResourceProfile.getCpuCores(),
      totalResourceProfile.getTaskHeapMemory(),
      totalResourceProfile.getTaskOffHeapMemory(),
      networkMemorySize,
      totalResourceProfile.getManagedMemory(),
      numSlots,
    );
  }

  getTotalResourceProfile(): ResourceProfile {
    return ResourceProfile.fromResources(
      this.cpuCores,
      this.taskHeapSize,
      this.taskOffHeapSize,
      this.managedMemSize,
      this.networkMemSize,
    );
  }
  getCpuCores(): number {
    return this.cpuCores;
  }
  getTaskHeapSize(): MemorySize {
    return this.taskHeapSize;
  }
  getTaskOffHeapSize(): MemorySize {
    return this.taskOffHeapSize;
  }
  getNetworkMemSize(): MemorySize {
    return this.networkMemSize;
  }
  getManagedMemSize(): MemorySize {
    return this.managedMemSize;
  }
  getNumSlots(): number {
    return this.numSlots;
  }
  toString(): string {
    return (
      `WorkerResourceSpec{cpuCores=${this.cpuCores}, taskHeapSize=${this.taskHeapSize.toString()}, ` +
      `taskOffHeapSize=${this.taskOffHeapSize.toString()}, networkMemSize=${this.networkMemSize.toString()}, ` +
      `managedMemSize=${this.managedMemSize.toString()}, numSlots=${this.numSlots}}`
    );
  }
}
