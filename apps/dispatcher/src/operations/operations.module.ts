import { Module } from '@nestjs/common';
import { AsyncOperationsService } from './async-operations.service.js';

/** Flink's asynchronous operation pattern (trigger, poll, 5-minute results) on `async_operations`. */
@Module({ providers: [AsyncOperationsService], exports: [AsyncOperationsService] })
export class OperationsModule {}
