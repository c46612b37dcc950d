// Typed, coded errors. Translated in exactly one place per boundary:
// app.onError for HTTP, the job runner for jobs (recorded on the source row).

export type ErrorCode =
  // fetch
  | 'fetch_timeout'
  | 'fetch_network'
  | 'fetch_too_large'
  | 'fetch_too_many_redirects'
  | 'fetch_http_error'
  | 'fetch_gone'
  | 'fetch_rate_limited'
  | 'fetch_blocked_address'
  // decode / parse
  | 'decode_failed'
  | 'parse_failed'
  | 'parse_not_a_feed'
  | 'parse_empty'
  // app
  | 'config_invalid'
  | 'not_found'
  | 'invalid_parameter'
  | 'unauthorized'
  | 'forbidden'
  | 'payload_too_large'
  | 'rate_limited'
  | 'conflict'
  | 'internal';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { retryable?: boolean; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
