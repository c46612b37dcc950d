import { OpenAPIHono } from '@hono/zod-openapi';
import type { RequestIdVariables } from 'hono/request-id';
import type { Config } from '../src/config.js';
import type { Deps } from '../src/deps.js';
import type { Logger } from '../src/logger.js';
import type { BeatTopics } from '../src/beat/beat.js';
import type { LiveBeat } from '../src/services/live-beat.js';
import { validationError } from './errors.js';
import type { DataVersion } from './http-cache.js';

/** What the API needs from the composition root (a subset of src/deps.ts Deps). */
export interface ApiDeps {
  /** The handle the composition root opened, passed on to services: api/ imports nothing from db/. */
  db: Deps['db'];
  config: Config;
  logger: Logger;
  clock: () => Date;
  /** The beat's topics, and the beat itself (`topics.beat`: its name and UI strings), from the rules. */
  topics: BeatTopics;
  /** The classifier with its active learned model (corrections reclassify with it); loaded on first use when absent. */
  beat?: LiveBeat;
}

export interface ApiEnv {
  Variables: RequestIdVariables;
}

export interface ApiContext {
  deps: ApiDeps;
  /** Absolute base URL for links (config.publicBaseUrl, no trailing slash). */
  base: string;
  version: DataVersion;
}

/** A sub-app whose zod validation failures become AppError('invalid_parameter') naming the parameter. */
export function newRouter(): OpenAPIHono<ApiEnv> {
  return new OpenAPIHono<ApiEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}

export const toDate = (s: string | undefined): Date | undefined => (s === undefined ? undefined : new Date(s));

/** The filters every list route shares (since, until, lang, source, limit), from validated query parameters. */
export function commonListFilter(q: { since?: string | undefined; until?: string | undefined; lang?: string | undefined; source?: number | undefined; limit: number }) {
  return { since: toDate(q.since), until: toDate(q.until), lang: q.lang, sourceId: q.source, limit: q.limit };
}
