import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured logs, one event per line, snake_case keys with units (duration_ms). */
export function createLogger(level: string, fd: 1 | 2 = 1): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      // Never log credentials: connection strings and bearer tokens are redacted wherever they appear.
      redact: { paths: ['database_url', 'authorization', 'headers.authorization', 'token', '*.authorization'], censor: '[redacted]' },
    },
    pino.destination({ fd, sync: fd === 2 }),
  );
}
