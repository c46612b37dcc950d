// The rules for a source's fields, shared by every way a source is added or edited (API, CLI, OPML import, the
// default list). Pure: they validate and normalize values and throw AppError('invalid_parameter') naming the field.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.js';
import type { Source } from '../model/types.js';
import { inferCountry, normalizeCountry } from '../press/country.js';
import { parseItemFilter, type ItemFilter } from '../reader/item-filter.js';
import { outletDomainOfFeed } from '../reader/outlet.js';

const OUTLET_COUNTRIES_FILE = fileURLToPath(new URL('./outlet-countries.json', import.meta.url));

let outletCountries: Record<string, string> | null = null;
/** Well-known outlets' countries by registrable domain (data: src/sources/outlet-countries.json). */
function knownOutletCountries(): Record<string, string> {
  outletCountries ??= (JSON.parse(fs.readFileSync(OUTLET_COUNTRIES_FILE, 'utf8')) as { domains: Record<string, string> }).domains;
  return outletCountries;
}

/** An explicit country (ISO 3166-1 alpha-2, any case), or an invalid_parameter error naming `country`. */
export function validCountry(raw: string | null | undefined): string | null {
  try {
    return normalizeCountry(raw);
  } catch (e) {
    throw new AppError('invalid_parameter', (e as Error).message, { details: { parameter: 'country' } });
  }
}

/**
 * A source's country of publication: the given one, else the one its feed's domain says (ccTLD, or the
 * table of well-known outlets), marked inferred; null when neither says.
 */
export function sourceCountry(url: string, given: string | null | undefined): { country: string | null; countryInferred: boolean } {
  const explicit = validCountry(given);
  if (explicit) return { country: explicit, countryInferred: false };
  const inferred = inferCountry(outletDomainOfFeed(url), knownOutletCountries());
  return { country: inferred, countryInferred: inferred !== null };
}

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

/** A source's item filter, validated (substrings only: no regular expressions on untrusted feed text); null clears it. */
export function validItemFilter(raw: unknown): ItemFilter | null {
  if (raw === null || raw === undefined) return null;
  try {
    return parseItemFilter(raw);
  } catch (e) {
    throw new AppError('invalid_parameter', (e as Error).message, { details: { parameter: 'itemFilter' } });
  }
}

/** An explicit outlet name, trimmed; empty clears it (the feed's registrable domain stands for the outlet). */
export function normalizeOutlet(outlet: string | null | undefined): string | null {
  const o = outlet?.trim().replace(/\s+/g, ' ') ?? '';
  if (o.length > 200) throw new AppError('invalid_parameter', 'An outlet name has at most 200 characters', { details: { parameter: 'outlet' } });
  return o || null;
}

/**
 * The country columns of a source edit: an explicit country is kept as given; `null` asks for inference again;
 * a new URL re-infers a country that was inferred (never one an editor gave). {} when nothing changes.
 */
export function countryPatch(
  current: Pick<Source, 'url' | 'country' | 'countryInferred'>,
  newUrl: string | undefined,
  given: string | null | undefined,
): { country?: string | null; countryInferred?: boolean } {
  if (given !== undefined) return sourceCountry(newUrl ?? current.url, given);
  if (newUrl !== undefined && (current.countryInferred || current.country === null)) return sourceCountry(newUrl, null);
  return {};
}
