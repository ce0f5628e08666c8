import { Injectable } from '@nestjs/common';
import type { PipeTransform } from '@nestjs/common';
import { BadOperationRequestError } from '../operations/operations.errors.js';

/** Parses the `:checkpointid` path parameter (a non-negative integer); 400 otherwise. */
@Injectable()
export class ParseCheckpointIdPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const id = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(id))
      throw new BadOperationRequestError(
        `Bad request, could not parse parameters: checkpointid '${value}' is not a checkpoint ID.`,
      );
    return id;
  }
}
