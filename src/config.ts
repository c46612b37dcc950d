import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.js';

// Every setting in one place, validated once at start; deep code receives Config, never process.env.

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) =>
  z.coerce.number({ error: 'expected a whole number' }).int('expected a whole number').min(min).max(max);
const slugList = z
  .string()
  .transform((s) => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))])
  .pipe(z.array(z.string().regex(/^[a-z0-9-]{1,64}$/, 'expected comma-separated topic slugs')).min(1));

const schema = z.object({
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  PUBLIC_BASE_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // auto: human-readable lines when the log goes to a terminal, JSON lines otherwise (files, pipes, collectors).
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  BEAT_RULES_FILE: z.string().min(1).optional(),
  CORPUS_DIR: z.string().min(1).optional(),
  SEED_DEFAULT_SOURCES: bool.default(true),

  REFRESH_CRON: z.string().min(9).default('* * * * *'),
  REFRESH_BATCH_SIZE: int(1, 10_000).default(100),
  LEASE_SECONDS: int(10, 86_400).default(300),

  FETCH_TIMEOUT_MS: int(100, 600_000).default(20_000),
  FETCH_MAX_BYTES: int(1024, 1024 * 1024 * 1024).default(10 * 1024 * 1024),
  FETCH_MAX_REDIRECTS: int(0, 20).default(5),
  FETCH_CONCURRENCY: int(1, 1000).default(16),
  READ_THREADS: int(0, 64).optional(),
  HOST_MIN_INTERVAL_MS: int(0, 600_000).default(1_000),
  USER_AGENT: z
    .string()
    .min(1)
    .default('Frontera/0.1 (+https://github.com/frontera-news/frontera; feed aggregator)'),
  ALLOW_PRIVATE_SOURCES: bool.default(false),

  POLL_INTERVAL_MINUTES: int(1, 10_080).default(30),
  MIN_POLL_INTERVAL_MINUTES: int(0, 10_080).default(5),
  MAX_POLL_INTERVAL_MINUTES: int(1, 43_200).default(1_440),
  BACKOFF_BASE_MINUTES: int(1, 10_080).default(5),
  BACKOFF_MAX_MINUTES: int(1, 43_200).default(1_440),
  REDIRECT_CONFIRMATIONS: int(1, 100).default(3),

  RATE_LIMIT_PER_MINUTE: int(0, 1_000_000).default(300),
  RATE_LIMIT_BURST: int(1, 1_000_000).default(60),
  TRUST_PROXY: bool.default(false),
  API_CACHE_ENTRIES: int(0, 100_000).default(1_000),

  CHECK_SOURCES_CRON: z.string().min(3).default('0 6 * * 1'),
  STALE_AFTER_DAYS: int(1, 3650).default(14),

  TRANSLATOR: z.enum(['auto', 'apertium', 'off']).default('auto'),
  APERTIUM_DATADIR: z.string().min(1).default('/usr/share/apertium'),

  NEWSLETTER_CRON: z.string().min(3).default('0 11 * * *'),
  NEWSLETTER_TOPICS: slugList.default(['all']),
  NEWSLETTER_PERIODS: z
    .string()
    .transform((s) => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))])
    .pipe(z.array(z.enum(['daily', 'weekly'])).min(1, 'expected daily, weekly or daily,weekly'))
    .default(['daily', 'weekly']),
  SMTP_URL: z.string().regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL').optional(),
  NEWSLETTER_FROM: z.string().min(3).max(300).optional(),
  NEWSLETTER_TO: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.email('expected a comma-separated list of e-mail addresses')).min(1))
    .optional(),
});

// Cross-variable rules; kept off `schema` so that schema.shape still lists every variable.
const checked = schema.superRefine((e, ctx) => {
  if (e.SMTP_URL && !e.NEWSLETTER_TO) ctx.addIssue({ code: 'custom', path: ['NEWSLETTER_TO'], message: 'required when SMTP_URL is set' });
  if (e.SMTP_URL && !e.NEWSLETTER_FROM) ctx.addIssue({ code: 'custom', path: ['NEWSLETTER_FROM'], message: 'required when SMTP_URL is set' });
});

export type Config = Readonly<{
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  publicBaseUrl: string;
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  logFormat: z.infer<typeof schema>['LOG_FORMAT'];
  adminToken: string | undefined;
  beatRulesFile: string | undefined;
  /** The shared corpus (its parent holds the shipped labels the retrain job learns from); default ../shared/corpus. */
  corpusDir: string | undefined;
  seedDefaultSources: boolean;
  refreshCron: string;
  refreshBatchSize: number;
  leaseSeconds: number;
  /** Worker threads that decode, parse and classify feeds (0 = on the main thread). */
  readThreads: number;
  fetch: Readonly<{
    timeoutMs: number;
    maxBytes: number;
    maxRedirects: number;
    concurrency: number;
    hostMinIntervalMs: number;
    userAgent: string;
    allowPrivate: boolean;
  }>;
  schedule: Readonly<{
    pollMinutes: number;
    minPollMinutes: number;
    maxPollMinutes: number;
    backoffBaseMinutes: number;
    backoffMaxMinutes: number;
    redirectConfirmations: number;
  }>;
  api: Readonly<{
    /** Requests per minute per client IP (token refill rate); 0 disables the limit. */
    rateLimitPerMinute: number;
    /** Token-bucket capacity: requests a client may make at once. */
    rateLimitBurst: number;
    /** Take the client IP from X-Forwarded-For (behind a reverse proxy you control). */
    trustProxy: boolean;
    /** Rendered responses kept in memory per process; 0 disables the response cache. */
    cacheEntries: number;
  }>;
  /**
   * Machine translation of non-English articles into English for cross-language story placement: auto (Apertium
   * when installed), apertium (required), off.
   */
  translation: Readonly<{ translator: 'auto' | 'apertium' | 'off'; apertiumDir: string }>;
  sourceChecks: Readonly<{
    /** node-cron expression of the weekly check-sources job (process time zone); null = not scheduled ("off"). */
    cron: string | null;
    /** A source whose newest item is older than this is flagged stale (up but dead). */
    staleAfterDays: number;
  }>;
  newsletter: Readonly<{
    /** node-cron expression of the newsletter job (process time zone); null = not scheduled ("off"). */
    cron: string | null;
    /** Topic slugs (`all` = the whole beat) that get an issue per period. */
    topics: readonly string[];
    periods: readonly ('daily' | 'weekly')[];
    /** SMTP delivery; null = issues are stored and served, never sent. */
    smtp: Readonly<{ url: string; from: string; to: readonly string[] }> | null;
  }>;
}>;

/** Parse the environment once; every invalid variable is reported in a single error. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" (docker-compose and .env files produce them).
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k in schema.shape && v !== undefined && v !== ''),
  );
  const parsed = checked.safeParse(cleaned);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => {
      const variable = i.path.join('.');
      const value = cleaned[variable];
      return { variable, message: value === undefined ? i.message : `${i.message} (got ${JSON.stringify(value)})` };
    });
    const lines = issues.map((i) => `  ${i.variable}: ${i.message}`);
    throw new AppError('config_invalid', `Invalid configuration:\n${lines.join('\n')}`, { details: { issues } });
  }
  const e = parsed.data;
  return Object.freeze({
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    host: e.HOST,
    port: e.PORT,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://${e.HOST === '0.0.0.0' ? 'localhost' : e.HOST}:${e.PORT}`).replace(/\/$/, ''),
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    adminToken: e.ADMIN_TOKEN,
    beatRulesFile: e.BEAT_RULES_FILE,
    corpusDir: e.CORPUS_DIR,
    seedDefaultSources: e.SEED_DEFAULT_SOURCES,
    refreshCron: e.REFRESH_CRON,
    refreshBatchSize: e.REFRESH_BATCH_SIZE,
    leaseSeconds: e.LEASE_SECONDS,
    // Default: one thread per core beyond the first (the main thread drives fetches and the database).
    readThreads: e.READ_THREADS ?? Math.min(4, os.availableParallelism() - 1),
    fetch: Object.freeze({
      timeoutMs: e.FETCH_TIMEOUT_MS,
      maxBytes: e.FETCH_MAX_BYTES,
      maxRedirects: e.FETCH_MAX_REDIRECTS,
      concurrency: e.FETCH_CONCURRENCY,
      hostMinIntervalMs: e.HOST_MIN_INTERVAL_MS,
      userAgent: e.USER_AGENT,
      allowPrivate: e.ALLOW_PRIVATE_SOURCES,
    }),
    schedule: Object.freeze({
      pollMinutes: e.POLL_INTERVAL_MINUTES,
      minPollMinutes: e.MIN_POLL_INTERVAL_MINUTES,
      maxPollMinutes: e.MAX_POLL_INTERVAL_MINUTES,
      backoffBaseMinutes: e.BACKOFF_BASE_MINUTES,
      backoffMaxMinutes: e.BACKOFF_MAX_MINUTES,
      redirectConfirmations: e.REDIRECT_CONFIRMATIONS,
    }),
    api: Object.freeze({
      rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
      rateLimitBurst: e.RATE_LIMIT_BURST,
      trustProxy: e.TRUST_PROXY,
      cacheEntries: e.API_CACHE_ENTRIES,
    }),
    translation: Object.freeze({ translator: e.TRANSLATOR, apertiumDir: e.APERTIUM_DATADIR }),
    sourceChecks: Object.freeze({
      cron: e.CHECK_SOURCES_CRON.trim().toLowerCase() === 'off' ? null : e.CHECK_SOURCES_CRON,
      staleAfterDays: e.STALE_AFTER_DAYS,
    }),
    newsletter: Object.freeze({
      cron: e.NEWSLETTER_CRON.trim().toLowerCase() === 'off' ? null : e.NEWSLETTER_CRON,
      topics: Object.freeze(e.NEWSLETTER_TOPICS),
      periods: Object.freeze(e.NEWSLETTER_PERIODS),
      smtp:
        e.SMTP_URL && e.NEWSLETTER_FROM && e.NEWSLETTER_TO
          ? Object.freeze({ url: e.SMTP_URL, from: e.NEWSLETTER_FROM, to: Object.freeze(e.NEWSLETTER_TO) })
          : null,
    }),
  });
}
