import { Module } from '@nestjs/common';
import { JobManagerController } from './jobmanager.controller.js';
import { JobManagerService } from './jobmanager.service.js';

@Module({ controllers: [JobManagerController], providers: [JobManagerService] })
export class JobManagerModule {}
