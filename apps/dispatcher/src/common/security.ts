import { createHash, timingSafeEqual } from 'node:crypto';

/** Methods that change state: they need the bearer token when one is configured. */
const MUTATING_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

/** Default largest request body: 10 MiB (`EDDY_MAX_BODY_BYTES`). */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

interface RequestLike {
  readonly method: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}
interface ResponseLike {
  headersSent: boolean;
  status(code: number): { json(body: unknown): unknown };
}
type Next = (error?: unknown) => void;

/** Compares a presented token with the configured one in constant time. */
export function tokenMatches(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string' || presented === '') return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** Why a request's `Authorization` header does not grant access; undefined when it does. */
export function bearerProblem(header: string | string[] | undefined, token: string): string | undefined {
  if (header === undefined || header === '') return 'Unauthorized: a bearer token is required.';
  const value = Array.isArray(header) ? header[0] : header;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
  if (match === null) return "Unauthorized: expected 'Authorization: Bearer <token>'.";
  return tokenMatches(match[1], token) ? undefined : 'Unauthorized: invalid bearer token.';
}

/**
 * Express middleware: with a token configured, POST/PATCH/PUT/DELETE need
 * `Authorization: Bearer <token>`, else 401 `{"errors": ["Unauthorized: …"]}`. Reads stay open.
 * Runs before the body is parsed, so unauthenticated bodies are never read.
 */
export function bearerAuth(
  token: string,
): (request: RequestLike, response: ResponseLike, next: Next) => void {
  return (request, response, next) => {
    if (!MUTATING_METHODS.has(request.method.toUpperCase())) {
      next();
      return;
    }
    const problem = bearerProblem(request.headers.authorization, token);
    if (problem === undefined) {
      next();
      return;
    }
    response.status(401).json({ errors: [problem] });
  };
}

/**
 * Express error middleware after the body parser: an oversized body answers 413 with Flink's
 * error body (other parser errors go on to the next handler).
 */
export function bodyTooLarge(
  maxBodyBytes: number,
): (error: unknown, request: RequestLike, response: ResponseLike, next: Next) => void {
  return (error, _request, response, next) => {
    const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
    if (type !== 'entity.too.large' || response.headersSent) {
      next(error);
      return;
    }
    response.status(413).json({
      errors: [`Payload too large: the request body exceeds the limit of ${maxBodyBytes} bytes.`],
    });
  };
}
