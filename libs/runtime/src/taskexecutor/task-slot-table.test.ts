import { describe, expect, it } from 'vitest';

import {
  AllocationID,
  ExecutionAttemptID,
  ExecutionVertexID,
  JobID,
  JobVertexID,
  ResourceID,
} from '../core/ids.js';
import { MemorySize } from '../core/memory-size.js';
import { ResourceProfile } from '../core/resource-profile.js';
import { SlotNotActiveError, SlotOccupiedError, TaskSlotTable } from './task-slot-table.js';

const SLOT_PROFILE = ResourceProfile.fromResources(1, MemorySize.ofMebiBytes(64));

function newTable(numberOfSlots = 2): { table: TaskSlotTable; resourceId: ResourceID } {
  const resourceId = ResourceID.of('tm-1');
  return { table: new TaskSlotTable(resourceId, numberOfSlots, SLOT_PROFILE), resourceId };
}

function newAttempt(): ExecutionAttemptID {
  return ExecutionAttemptID.generate(ExecutionVertexID.of(JobVertexID.generate(), 0));
}

describe('TaskSlotTable', () => {
  it('starts with every slot free', () => {
    const { table } = newTable(3);
    expect(table.getNumberOfSlots()).toBe(3);
    expect(table.getNumberOfFreeSlots()).toBe(3);
  });

  it('allocates a slot to an allocation, activates it and frees it', () => {
    const { table } = newTable();
    const jobId = JobID.generate();
    const allocationId = AllocationID.generate();

    table.allocateSlot(1, jobId, allocationId);
    expect(table.getNumberOfFreeSlots()).toBe(1);
    expect(table.getSlotIndex(allocationId)).toBe(1);
    expect(table.getAllocationsOfJob(jobId)).toEqual([allocationId]);

    expect(table.markSlotActive(allocationId)).toBe(true);
    const freed = table.freeSlot(allocationId);
    expect(freed).toEqual({ index: 1, tasks: [] });
    expect(table.getNumberOfFreeSlots()).toBe(2);
    expect(table.getSlotIndex(allocationId)).toBeUndefined();
    expect(table.getAllocationsOfJob(jobId)).toEqual([]);
  });

  it('does not activate or free an allocation it does not hold', () => {
    const { table } = newTable();
    expect(table.markSlotActive(AllocationID.generate())).toBe(false);
    expect(table.freeSlot(AllocationID.generate())).toBeUndefined();
  });

  it('throws SlotOccupiedError when another allocation holds the slot', () => {
    const { table } = newTable();
    const jobId = JobID.generate();
    const holder = AllocationID.generate();
    table.allocateSlot(0, jobId, holder);

    expect(() => {
      table.allocateSlot(0, jobId, AllocationID.generate());
    }).toThrow(SlotOccupiedError);
    expect(() => {
      table.allocateSlot(0, JobID.generate(), holder);
    }).toThrow(SlotOccupiedError);
    expect(table.getSlotIndex(holder)).toBe(0);
  });

  it('tells the occupying allocation and job in SlotOccupiedError', () => {
    const { table } = newTable();
    const jobId = JobID.generate();
    const holder = AllocationID.generate();
    table.allocateSlot(0, jobId, holder);

    let caught: unknown;
    try {
      table.allocateSlot(0, JobID.generate(), AllocationID.generate());
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SlotOccupiedError);
    expect(caught).toMatchObject({ allocationId: holder, jobId });
  });

  it('re-allocating a slot to the allocation that holds it is a no-op', () => {
    const { table } = newTable();
    const jobId = JobID.generate();
    const allocationId = AllocationID.generate();
    table.allocateSlot(0, jobId, allocationId);
    table.markSlotActive(allocationId);

    table.allocateSlot(0, jobId, allocationId);

    // Still active: a task can go in.
    table.addTask(jobId, allocationId, newAttempt());
    expect(table.getNumberOfFreeSlots()).toBe(1);
  });

  it('refuses one allocation in two slots, and slots it does not have', () => {
    const { table } = newTable();
    const jobId = JobID.generate();
    const allocationId = AllocationID.generate();
    table.allocateSlot(0, jobId, allocationId);

    expect(() => {
      table.allocateSlot(1, jobId, allocationId);
    }).toThrow(SlotOccupiedError);
    expect(() => {
      table.allocateSlot(2, jobId, AllocationID.generate());
    }).toThrow(SlotOccupiedError);
    expect(() => {
      table.allocateSlot(-1, jobId, AllocationID.generate());
    }).toThrow(SlotOccupiedError);
    expect(table.getNumberOfFreeSlots()).toBe(1);
  });

  it('adds a task only to an active slot of the task’s job', () => {
    const { table } = newTable();
    const jobId = JobID.generate();
    const allocationId = AllocationID.generate();
    table.allocateSlot(0, jobId, allocationId);

    // Allocated but not yet accepted by the JobMaster.
    expect(() => {
      table.addTask(jobId, allocationId, newAttempt());
    }).toThrow(SlotNotActiveError);

    table.markSlotActive(allocationId);
    expect(() => {
      table.addTask(JobID.generate(), allocationId, newAttempt());
    }).toThrow(SlotNotActiveError);
    expect(() => {
      table.addTask(jobId, AllocationID.generate(), newAttempt());
    }).toThrow(SlotNotActiveError);

    const attempt = newAttempt();
    table.addTask(jobId, allocationId, attempt);
    expect(table.freeSlot(allocationId)).toEqual({ index: 0, tasks: [attempt] });
  });

  it('forgets a removed task', () => {
    const { table } = newTable();
    const jobId = JobID.generate();
    const allocationId = AllocationID.generate();
    table.allocateSlot(0, jobId, allocationId);
    table.markSlotActive(allocationId);
    const first = newAttempt();
    const second = newAttempt();
    table.addTask(jobId, allocationId, first);
    table.addTask(jobId, allocationId, second);

    table.removeTask(allocationId, first);

    expect(table.freeSlot(allocationId)?.tasks).toEqual([second]);
  });

  it('reports every slot with its profile, and the allocation and job of allocated ones', () => {
    const { table, resourceId } = newTable(3);
    const jobId = JobID.generate();
    const allocationId = AllocationID.generate();
    table.allocateSlot(1, jobId, allocationId);

    const report = table.createSlotReport();

    expect(report.resourceId).toBe(resourceId);
    expect(report.slots).toEqual([
      { slotId: { resourceId, slotNumber: 0 }, resourceProfile: SLOT_PROFILE.toJson() },
      {
        slotId: { resourceId, slotNumber: 1 },
        resourceProfile: SLOT_PROFILE.toJson(),
        allocationId,
        jobId,
      },
      { slotId: { resourceId, slotNumber: 2 }, resourceProfile: SLOT_PROFILE.toJson() },
    ]);
    expect(report.slots[0]).not.toHaveProperty('allocationId');
  });

  it('lists the allocations of each job', () => {
    const { table } = newTable(3);
    const jobA = JobID.generate();
    const jobB = JobID.generate();
    const a1 = AllocationID.generate();
    const a2 = AllocationID.generate();
    const b1 = AllocationID.generate();
    table.allocateSlot(0, jobA, a1);
    table.allocateSlot(1, jobB, b1);
    table.allocateSlot(2, jobA, a2);

    expect(table.getAllocationsOfJob(jobA)).toEqual([a1, a2]);
    expect(table.getAllocationsOfJob(jobB)).toEqual([b1]);
  });
});
