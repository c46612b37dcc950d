import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from '../../db/client.js';
import { countSources, insertSources, listSources, type NewSource } from '../../db/repositories/sources.repository.js';
import { AppError } from '../errors.js';
import type { Source } from '../model/types.js';
import { parseOpml } from '../opml/parse-opml.js';
import { renderOpml } from '../opml/render-opml.js';

const DEFAULT_SOURCES_FILE = fileURLToPath(new URL('../sources/default-sources.json', import.meta.url));

/** A source URL must be absolute http(s); returned normalized (WHATWG URL serialization). */
export function validateSourceUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new AppError('invalid_parameter', `Not a valid URL: ${JSON.stringify(raw.slice(0, 200))}`, { details: { parameter: 'url' } });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new AppError('invalid_parameter', `Only http and https feed URLs are supported, got ${u.protocol}`, { details: { parameter: 'url' } });
  }
  if (u.username || u.password) {
    throw new AppError('invalid_parameter', 'Feed URLs must not carry credentials', { details: { parameter: 'url' } });
  }
  u.hash = '';
  return u.toString();
}

export function normalizeLang(lang: string | null | undefined): string | null {
  if (!lang) return null;
  const m = lang.trim().toLowerCase().match(/^([a-z]{2,3})\b/);
  return m ? m[1]! : null;
}

export async function addSources(db: Db, input: NewSource[], now: Date): Promise<{ added: Source[]; skipped: number }> {
  const clean = input.map((s) => ({ ...s, url: validateSourceUrl(s.url), lang: normalizeLang(s.lang) }));
  const unique = [...new Map(clean.map((s) => [s.url, s])).values()];
  const added = await insertSources(db, unique, now);
  return { added, skipped: input.length - added.length };
}

export async function importOpml(db: Db, opmlText: string, now: Date): Promise<{ added: Source[]; skipped: number; invalid: string[] }> {
  const feeds = await parseOpml(opmlText);
  const valid: NewSource[] = [];
  const invalid: string[] = [];
  for (const f of feeds) {
    try {
      valid.push({ url: validateSourceUrl(f.url), name: f.title, siteUrl: f.siteUrl, lang: f.lang });
    } catch {
      invalid.push(f.url);
    }
  }
  const r = await addSources(db, valid, now);
  return { ...r, invalid };
}

export async function exportOpml(db: Db, now: Date): Promise<string> {
  const sources = await listSources(db);
  return renderOpml(
    'Frontera sources',
    sources.filter((s) => s.status !== 'retired').map((s) => ({ url: s.url, title: s.name, siteUrl: s.siteUrl, lang: s.lang })),
    now,
  );
}

export function loadDefaultSources(file = DEFAULT_SOURCES_FILE): NewSource[] {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { sources: NewSource[] };
  return data.sources;
}

/** Seeds the default source list when the store has no source at all (first start). */
export async function seedDefaultSources(db: Db, now: Date): Promise<number> {
  if ((await countSources(db)) > 0) return 0;
  return (await addSources(db, loadDefaultSources(), now)).added.length;
}
