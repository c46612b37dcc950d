import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { AppError, isAppError, type ErrorCode } from '../src/errors.js';
import type { Logger } from '../src/logger.js';

// The one place where errors become HTTP responses: { "error": { "code", "message" } }, never a stack.

const STATUS: Partial<Record<ErrorCode, ContentfulStatusCode>> = {
  invalid_parameter: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  rate_limited: 429,
};

export function errorBody(code: string, message: string, extra: Record<string, unknown> = {}) {
  return { error: { code, message, ...extra } };
}

/** Validation failures of the zod schemas, as AppError naming the first bad parameter. */
export function validationError(error: ZodError, target: string): AppError {
  const issue = error.issues[0];
  const parameter = issue?.path.length ? issue.path.map(String).join('.') : target;
  return new AppError('invalid_parameter', `Invalid parameter "${parameter}": ${issue?.message ?? 'invalid'}`, {
    details: { parameter },
  });
}

export function createErrorHandler(logger: Logger) {
  return (err: Error, c: Context): Response => {
    c.header('Cache-Control', 'no-store');
    if (isAppError(err)) {
      const status = STATUS[err.code] ?? 500;
      if (status === 500) {
        logger.error({ event: 'http_error', code: err.code, err, request_id: c.get('requestId') });
        return c.json(errorBody('internal', 'Internal error'), 500);
      }
      const retryAfter = err.details?.['retryAfterSeconds'];
      if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
      if (status === 401) c.header('WWW-Authenticate', 'Bearer realm="frontera-admin"');
      const parameter = err.details?.['parameter'];
      return c.json(errorBody(err.code, err.message, typeof parameter === 'string' && status === 400 ? { parameter } : {}), status);
    }
    if (err instanceof HTTPException) {
      // Hono's own (e.g. body parsing): keep the status, not the internals.
      const status = err.status as ContentfulStatusCode;
      const code = status === 413 ? 'payload_too_large' : status === 400 ? 'invalid_parameter' : status >= 500 ? 'internal' : 'error';
      return c.json(errorBody(code, status >= 500 ? 'Internal error' : err.message || 'Bad request'), status);
    }
    logger.error({ event: 'http_error', code: 'internal', err, request_id: c.get('requestId') });
    return c.json(errorBody('internal', 'Internal error'), 500);
  };
}

export function notFound(c: Context): Response {
  c.header('Cache-Control', 'no-store');
  return c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404);
}
