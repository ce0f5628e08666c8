import { Module } from '@nestjs/common';
import { TaskManagersController } from './taskmanagers.controller.js';
import { TaskManagersService } from './taskmanagers.service.js';

@Module({ controllers: [TaskManagersController], providers: [TaskManagersService] })
export class TaskManagersModule {}
