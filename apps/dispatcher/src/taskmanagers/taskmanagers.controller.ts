import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseBodyDto } from '../common/dto/error-response-body.dto.js';
import type { ResponseBody } from '../common/dto/response-body.js';
import { TaskManagerDetailsInfoDto, TaskManagersInfoDto } from './dto/task-manager-info.dto.js';
import { toTaskManagerInfo } from './taskmanagers.mapper.js';
import { TaskManagersService } from './taskmanagers.service.js';

/** Flink's TaskManager routes (v1), each also under `/v1`. */
@ApiTags('taskmanagers')
@Controller(['taskmanagers', 'v1/taskmanagers'])
export class TaskManagersController {
  constructor(private readonly taskManagers: TaskManagersService) {}

  @Get()
  @ApiOperation({ summary: 'Every registered TaskManager.' })
  @ApiOkResponse({ type: TaskManagersInfoDto })
  async list(): Promise<ResponseBody<TaskManagersInfoDto>> {
    const now = Date.now();
    return {
      taskmanagers: (await this.taskManagers.listTaskManagers()).map((info) => toTaskManagerInfo(info, now)),
    };
  }

  @Get(':taskmanagerid')
  @ApiOperation({ summary: 'One TaskManager.' })
  @ApiOkResponse({ type: TaskManagerDetailsInfoDto })
  @ApiResponse({ status: 404, type: ErrorResponseBodyDto })
  async details(
    @Param('taskmanagerid') taskManagerId: string,
  ): Promise<ResponseBody<TaskManagerDetailsInfoDto>> {
    const info = await this.taskManagers.getTaskManager(taskManagerId);
    return { ...toTaskManagerInfo(info, Date.now()), allocatedSlots: [] };
  }
}
