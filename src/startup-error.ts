// What a failed start prints: one line saying what went wrong, which variable is involved and how to fix it,
// instead of a stack trace. Errors nobody anticipated (bugs) keep their stack.
import { isAppError } from './errors.js';

interface StartContext {
  databaseUrl?: string | undefined;
  host?: string;
  port?: number;
}

/** host:port and database name of a postgres:// URL, without credentials. */
export function describeDatabaseUrl(url: string): { target: string; database: string } {
  try {
    const u = new URL(url);
    const socketHost = u.searchParams.get('host');
    const host = socketHost ?? (u.hostname || 'localhost');
    return { target: `${host}:${u.port || '5432'}`, database: decodeURIComponent(u.pathname.slice(1)) || '(default)' };
  } catch {
    return { target: '(unparsable DATABASE_URL)', database: '' };
  }
}

/** One line for the errors a newcomer can fix, or null for an unexpected error. */
export function startupErrorLine(e: unknown, ctx: StartContext = {}): string | null {
  if (isAppError(e) && e.code === 'config_invalid') {
    const issues = (e.details?.issues as { variable: string; message: string }[] | undefined) ?? [];
    const what = issues.length ? issues.map((i) => `${i.variable}: ${i.message}`).join('; ') : e.message.replace(/\s*\n\s*/g, '; ');
    return `invalid configuration: ${what}. Fix the variable in the environment or in .env (.env.example lists each one with its default).`;
  }
  const err = e as { code?: unknown; message?: unknown; syscall?: unknown };
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = typeof err?.message === 'string' ? err.message : String(e);
  if ((code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') && err.syscall === 'listen') {
    const where = `${ctx.host ?? '?'}:${ctx.port ?? '?'}`;
    if (code === 'EADDRINUSE') return `cannot listen on ${where}: the port is already in use (another Frontera?). Stop that process or set PORT to a free port.`;
    if (code === 'EACCES') return `cannot listen on ${where}: permission denied (ports below 1024 need privileges). Set PORT to 1024 or above.`;
    return `cannot listen on ${where}: no such address on this machine. Set HOST to a local address (127.0.0.1, or 0.0.0.0 for every interface).`;
  }
  if (ctx.databaseUrl) {
    const { target, database } = describeDatabaseUrl(ctx.databaseUrl);
    if (code === '3D000') return `database "${database}" does not exist on the PostgreSQL server at ${target} (DATABASE_URL). Create it (createdb -h ${target.replace(/:(\d+)$/, ' -p $1')} ${database}) or point DATABASE_URL at an existing database.`;
    if (code === '28P01' || code === '28000') return `the PostgreSQL server at ${target} refused the login: ${message} (DATABASE_URL). Fix the user or password in DATABASE_URL.`;
  }
  if (code === 'db_unreachable') return message;
  const cron = /^Invalid cron expression for (\S+): (.*)$/.exec(message);
  if (cron) return `invalid configuration: ${cron[1] === 'newsletter' ? 'NEWSLETTER_CRON' : 'REFRESH_CRON'}: "${cron[2]}" is not a cron expression (five or six fields, e.g. "* * * * *").`;
  // The embedded database's lock (db/client.ts) already says what to do.
  if (/embedded database in .* is in use by process/.test(message)) return message;
  return null;
}

/** Prints the error (one line when it is a known start failure) and exits 1. */
export function exitOnStartupError(e: unknown, ctx: StartContext = {}): never {
  const line = startupErrorLine(e, ctx);
  process.stderr.write(line ? `error: ${line}\n` : `error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
}
