// Feed dates: RFC 822/1123 (RSS), RFC 3339/W3C-DTF (Atom, dc:date, JSON Feed) and the usual deviations.
// Date.parse covers most; the fallback handles RFC 822 with zone abbreviations V8 does not know.

const ZONES: Record<string, string> = {
  UT: '+0000', UTC: '+0000', GMT: '+0000', Z: '+0000', WET: '+0000', BST: '+0100', CET: '+0100', CEST: '+0200',
  MET: '+0100', MEST: '+0200', EET: '+0200', EEST: '+0300', MSK: '+0300', IST: '+0530', JST: '+0900', KST: '+0900',
  AEST: '+1000', AEDT: '+1100', NZST: '+1200', NZDT: '+1300', EST: '-0500', EDT: '-0400', CST: '-0600',
  CDT: '-0500', MST: '-0700', MDT: '-0600', PST: '-0800', PDT: '-0700', AKST: '-0900', AKDT: '-0800', HST: '-1000',
  AST: '-0400', ADT: '-0300', NST: '-0330', NDT: '-0230',
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const RFC822 = /^(?:[A-Za-z]{2,9},?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[A-Za-z.]*[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?/;

export function parseFeedDate(input: string | null | undefined): Date | null {
  if (!input) return null;
  const s = input.trim();
  if (!s || s.length > 80) return null;
  const rfc = parseRfc822(s);
  if (rfc) return rfc;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}[ T]\d/.test(s) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(s) ? `${s}Z` : s);
  return Number.isFinite(t) ? new Date(t) : null;
}

function parseRfc822(s: string): Date | null {
  const m = RFC822.exec(s);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2].toLowerCase());
  if (month < 0) return null;
  let year = Number(m[3]);
  if (m[3].length === 2) year += year < 50 ? 2000 : 1900;
  const zone = m[7] ? (ZONES[m[7].toUpperCase()] ?? (/^[+-]/.test(m[7]) ? m[7].replace(':', '') : '+0000')) : '+0000';
  const sign = zone[0] === '-' ? -1 : 1;
  const offsetMin = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  const utc = Date.UTC(year, month, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)) - offsetMin * 60_000;
  return Number.isFinite(utc) ? new Date(utc) : null;
}
