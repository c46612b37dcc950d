// Country of publication of a source, and which press side a country belongs to. Pure.

export type PressSide = 'US' | 'MX' | 'other';

/** The two presses of the beat; every other known country counts as 'other'. */
export function pressSide(country: string | null | undefined): PressSide | null {
  if (!country) return null;
  const c = country.toUpperCase();
  return c === 'US' ? 'US' : c === 'MX' ? 'MX' : 'other';
}

/** An ISO 3166-1 alpha-2 code, upper-cased; null when empty; throws on anything else. */
export function normalizeCountry(raw: string | null | undefined): string | null {
  const c = raw?.trim().toUpperCase() ?? '';
  if (c === '') return null;
  if (!/^[A-Z]{2}$/.test(c)) throw new Error(`expected an ISO 3166-1 alpha-2 country code (US, MX, …), got ${JSON.stringify(raw!.slice(0, 40))}`);
  return c;
}

// Country-code TLDs sold as generic names ("news.tv", "app.io"): they say nothing about the publisher.
const VANITY_CCTLDS = new Set(['ai', 'cc', 'co', 'fm', 'io', 'ly', 'me', 'tv', 'to', 'ws', 'eu', 'su', 'gg', 'am', 'la', 'nu']);
// Generic TLDs restricted to US institutions.
const US_ONLY_TLDS = new Set(['gov', 'mil', 'edu']);
const TLD_COUNTRY: Record<string, string> = { uk: 'GB' };

/**
 * The country a feed's registrable domain says, or null: the table of well-known outlets first (a .com or a
 * .us that is not American), then the domain's ccTLD (.mx, .com.mx, .gob.mx → MX; .us → US), then the
 * US-only generic TLDs (.gov, .mil, .edu). A plain .com/.org/.net says nothing.
 */
export function inferCountry(domain: string | null, known: Readonly<Record<string, string>>): string | null {
  if (!domain) return null;
  const d = domain.toLowerCase().replace(/^www\./, '');
  const hit = known[d];
  if (hit) return hit;
  const tld = d.slice(d.lastIndexOf('.') + 1);
  if (US_ONLY_TLDS.has(tld)) return 'US';
  if (TLD_COUNTRY[tld]) return TLD_COUNTRY[tld]!;
  if (/^[a-z]{2}$/.test(tld) && !VANITY_CCTLDS.has(tld)) return tld.toUpperCase();
  return null;
}
