import { ApiProperty } from '@nestjs/swagger';

/** Resources of a TaskManager or of its free slots (Flink's ResourceProfileInfo); memory in bytes. */
export class ResourceProfileInfoDto {
  @ApiProperty()
  cpuCores!: number;

  @ApiProperty()
  taskHeapMemory!: number;

  @ApiProperty()
  taskOffHeapMemory!: number;

  @ApiProperty()
  managedMemory!: number;

  @ApiProperty()
  networkMemory!: number;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  extendedResources!: Record<string, number>;
}

/** The host a TaskManager runs on (Flink's HardwareDescription); memory in bytes. */
export class HardwareDescriptionDto {
  @ApiProperty()
  cpuCores!: number;

  @ApiProperty()
  physicalMemory!: number;

  @ApiProperty()
  freeMemory!: number;

  @ApiProperty()
  managedMemory!: number;
}

/** One TaskManager of `GET /taskmanagers` (Flink's TaskManagerInfo). */
export class TaskManagerInfoDto {
  @ApiProperty({ description: 'ResourceID.' })
  id!: string;

  @ApiProperty({ description: 'RPC address.', example: 'local://taskmanager-0' })
  path!: string;

  @ApiProperty({ description: '-1 when channels are in-process only.' })
  dataPort!: number;

  @ApiProperty({ description: '-1: no JMX.' })
  jmxPort!: number;

  @ApiProperty({ description: 'Epoch ms of the last heartbeat (Flink’s name).' })
  timeSinceLastHeartbeat!: number;

  @ApiProperty()
  slotsNumber!: number;

  @ApiProperty()
  freeSlots!: number;

  @ApiProperty({ type: ResourceProfileInfoDto })
  totalResource!: ResourceProfileInfoDto;

  @ApiProperty({ type: ResourceProfileInfoDto })
  freeResource!: ResourceProfileInfoDto;

  @ApiProperty({ type: HardwareDescriptionDto })
  hardware!: HardwareDescriptionDto;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'Not modelled by Eddy: `{}`.' })
  memoryConfiguration!: Record<string, never>;

  @ApiProperty()
  blocked!: boolean;
}

/** `GET /taskmanagers` (Flink's TaskManagersInfo). */
export class TaskManagersInfoDto {
  @ApiProperty({ type: [TaskManagerInfoDto] })
  taskmanagers!: TaskManagerInfoDto[];
}

/** `GET /taskmanagers/:taskmanagerid` (Flink's TaskManagerDetailsInfo, without metrics). */
export class TaskManagerDetailsInfoDto extends TaskManagerInfoDto {
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'Not tracked by Eddy: `[]`.' })
  allocatedSlots!: Record<string, never>[];
}
