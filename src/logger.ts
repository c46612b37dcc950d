import tty from 'node:tty';
import { pino, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * Structured logs, one event per line, snake_case keys with units (duration_ms). JSON for machines; in a
 * terminal (format auto) or with LOG_FORMAT=pretty, the same events as readable lines.
 */
export function createLogger(level: string, fd: 1 | 2 = 1, format: LogFormat = 'auto'): Logger {
  const options = {
    level,
    base: { pid: process.pid },
    // Never log credentials: connection strings and bearer tokens are redacted wherever they appear.
    redact: { paths: ['database_url', 'authorization', 'headers.authorization', 'token', '*.authorization'], censor: '[redacted]' },
  };
  const terminal = tty.isatty(fd);
  if (format === 'pretty' || (format === 'auto' && terminal)) {
    // In-process (no transport thread): a line is written before the process may exit.
    return pino(
      options,
      PinoPretty({ destination: fd, sync: true, colorize: terminal, singleLine: true,
      ignore: 'pid,hostname,event', messageFormat: '{if event}{event}{end}{if msg} {msg}{end}', translateTime: 'SYS:HH:MM:ss.l' }));
  }
  return pino(options, pino.destination({ fd, sync: fd === 2 }));
}
