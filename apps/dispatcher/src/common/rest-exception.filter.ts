import { Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import {
  DuplicateJobSubmissionError,
  InvalidJobGraphError,
  JobAlreadyTerminalError,
  JobNotFoundError,
  JobNotRunningError,
} from '@eddy/runtime';
import {
  InvalidJobIdError,
  InvalidQueryParameterError,
  JobVertexNotFoundError,
  UnsupportedTerminationModeError,
} from '../jobs/jobs.errors.js';
import { TaskManagerNotFoundError } from '../taskmanagers/taskmanagers.errors.js';
import { OperationRequestError } from '../operations/operations.errors.js';

interface HttpRequestLike {
  readonly method: string;
  readonly originalUrl?: string;
  readonly url: string;
}
interface HttpResponseLike {
  headersSent: boolean;
  status(code: number): { json(body: unknown): unknown };
}

/** An error answer: HTTP status and Flink's `{"errors": [...]}` body. */
interface ErrorAnswer {
  readonly status: number;
  readonly errors: string[];
}

const JOB_NOT_FOUND = 'Job could not be found.';

/** Maps domain and framework errors to a status and messages; undefined for unexpected errors. */
function answerFor(error: unknown, path: string): ErrorAnswer | undefined {
  if (error instanceof InvalidJobGraphError)
    return { status: HttpStatus.BAD_REQUEST, errors: [...error.problems] };
  if (error instanceof UnsupportedTerminationModeError || error instanceof InvalidQueryParameterError)
    return { status: HttpStatus.BAD_REQUEST, errors: [error.message] };
  if (error instanceof JobVertexNotFoundError || error instanceof TaskManagerNotFoundError)
    return { status: HttpStatus.NOT_FOUND, errors: [error.message] };
  if (error instanceof OperationRequestError) return { status: error.status, errors: [error.message] };
  if (error instanceof JobNotFoundError) return { status: HttpStatus.NOT_FOUND, errors: [JOB_NOT_FOUND] };
  if (error instanceof InvalidJobIdError)
    return { status: HttpStatus.NOT_FOUND, errors: [JOB_NOT_FOUND, error.message] };
  if (
    error instanceof JobAlreadyTerminalError ||
    error instanceof DuplicateJobSubmissionError ||
    error instanceof JobNotRunningError
  )
    return { status: HttpStatus.CONFLICT, errors: [error.message] };
  if (error instanceof HttpException) {
    const status = error.getStatus();
    // Our handlers throw no HttpExceptions: a 404 comes from the router, a 400 from the body parser.
    if (status === 404) return { status, errors: [`Not found: ${path}`] };
    if (status === 400)
      return {
        status,
        errors: ['Bad request received. Request did not conform to expected format.', error.message],
      };
    if (status < 500) return { status, errors: [error.message] };
  }
  return undefined;
}

/**
 * The service's one exception filter: every error leaves as Flink's ErrorResponseBody
 * (`{"errors": [...]}`) with a status. Unexpected errors are logged and answered with a bare
 * "Internal server error." (no stack traces to clients).
 */
@Catch()
export class RestExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(RestExceptionFilter.name);

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    const response = http.getResponse<HttpResponseLike>();
    const path = (request.originalUrl ?? request.url).split('?')[0] ?? '/';
    let answer = answerFor(error, path);
    if (answer === undefined) {
      this.logger.error(
        `${request.method} ${path} failed`,
        error instanceof Error ? error.stack : String(error),
      );
      answer = { status: HttpStatus.INTERNAL_SERVER_ERROR, errors: ['Internal server error.'] };
    }
    if (response.headersSent) return;
    response.status(answer.status).json({ errors: answer.errors });
  }
}
