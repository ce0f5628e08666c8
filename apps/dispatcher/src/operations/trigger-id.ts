import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { PipeTransform } from '@nestjs/common';
import { BadOperationRequestError } from './operations.errors.js';

const TRIGGER_ID = /^[0-9a-fA-F]{32}$/;

/** A new trigger ID: 32 lowercase hexadecimal characters (Flink's TriggerId). */
export function newTriggerId(): string {
  return randomBytes(16).toString('hex');
}

/** A trigger ID from a request (body or path), lowercased; BadOperationRequestError otherwise. */
export function parseTriggerId(value: unknown, what = 'triggerId'): string {
  if (typeof value !== 'string' || !TRIGGER_ID.test(value))
    throw new BadOperationRequestError(
      `Bad request, could not parse parameters: ${what} must be 32 hexadecimal characters.`,
    );
  return value.toLowerCase();
}

/** Parses the `:triggerid` path parameter. */
@Injectable()
export class ParseTriggerIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return parseTriggerId(value, 'triggerid');
  }
}
