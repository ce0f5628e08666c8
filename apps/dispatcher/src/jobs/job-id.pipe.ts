import { Injectable } from '@nestjs/common';
import type { PipeTransform } from '@nestjs/common';
import type { JobID } from '@eddy/runtime';
import { InvalidJobIdError } from './jobs.errors.js';

const JOB_ID = /^[0-9a-fA-F]{32}$/;

/** Parses the `:jobid` path parameter into a JobID (lowercase hex); InvalidJobIdError otherwise. */
@Injectable()
export class ParseJobIdPipe implements PipeTransform<string, JobID> {
  transform(value: string): JobID {
    if (!JOB_ID.test(value)) throw new InvalidJobIdError(value);
    return value.toLowerCase() as JobID;
  }
}
