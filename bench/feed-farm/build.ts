// Deterministic feed content for the farm: feed i, item k is a pure function of (seed, i, k), so a feed
// that grows only appends and every process rebuilds the same bytes.
import { loadTextPools, longText, nthText, type Lang, type TextPools } from '../lib/corpus-text.js';
import { mixSeed, rng } from '../lib/prng.js';

export interface FarmSpec {
  feeds: number;
  itemsPerFeed: number;
  seed: number;
  /** Share of items that are copies of a wire story carried by several feeds (default 0.1). */
  syndicatedShare: number;
  /** Share of feeds in Spanish (default 0.3). */
  spanishShare: number;
  /** Pad each item with a content:encoded / <content> body of about this many bytes (big-feed tests). */
  contentBytes: number;
  /** Publication time of the newest initial item of every feed. */
  baseDate: Date;
}

export interface FeedInfo {
  index: number;
  lang: Lang;
  format: 'rss' | 'atom';
  outlet: string;
  domain: string;
  /** Minutes between items of this feed. */
  cadenceMinutes: number;
}

export interface FarmItem {
  k: number;
  guid: string;
  guidIsPermaLink: boolean;
  link: string;
  title: string;
  description: string;
  content: string | null;
  category: string | null;
  author: string | null;
  published: Date;
  /** Wire story id when the item is a syndicated copy. */
  wireId: string | null;
}

const OUTLETS_EN = ['Border Report', 'Gulf Courier', 'Desert Ledger', 'Valley Tribune', 'Coastal Herald', 'Plains Daily', 'Metro Wire', 'Frontier Post'];
const OUTLETS_ES = ['El Norte Hoy', 'Diario Fronterizo', 'La Voz del Bravo', 'Noticias del Golfo', 'El Sol de la Sierra', 'Crónica Regional'];
const AUTHORS = ['Ana Ruiz', 'John Carter', 'María López', 'David Kim', 'Staff', null, null];

export function feedInfo(spec: FarmSpec, i: number): FeedInfo {
  const r = rng(mixSeed(spec.seed, i, 0xfeed));
  const lang: Lang = r.chance(spec.spanishShare) ? 'es' : 'en';
  const outlet = `${r.pick(lang === 'es' ? OUTLETS_ES : OUTLETS_EN)} ${i}`;
  return { index: i, lang, format: r.chance(0.6) ? 'rss' : 'atom', outlet, domain: `outlet${i}.example.com`, cadenceMinutes: 20 + r.int(100) };
}

/** Wire stories per language: about three copies each across feeds. */
function wireCount(spec: FarmSpec, lang: Lang): number {
  const langShare = lang === 'es' ? spec.spanishShare : 1 - spec.spanishShare;
  return Math.max(1, Math.round((spec.feeds * spec.itemsPerFeed * spec.syndicatedShare * langShare) / 3));
}

const slug = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'story';

/** Small edits a desk makes to a wire story: a credit, an outlet suffix, a trimmed description. */
function editWire(title: string, description: string, f: FeedInfo, r: ReturnType<typeof rng>): { title: string; description: string } {
  const credit = f.lang === 'es' ? r.pick(['(AP)', '(EFE)', '(Reuters)']) : r.pick(['(AP)', '(Reuters)', '(AFP)']);
  switch (r.int(4)) {
    case 0:
      return { title, description: `${credit} — ${description}` };
    case 1:
      return { title: `${title} | ${f.outlet}`, description };
    case 2:
      return { title: title.replace(/[.:;!?]+$/, ''), description: description.split('. ').slice(0, 2).join('. ') };
    default:
      return { title: `${title} ${credit}`, description: description.replace(/\s+/g, ' ') };
  }
}

export function farmItem(spec: FarmSpec, pools: TextPools, f: FeedInfo, k: number): FarmItem {
  const r = rng(mixSeed(spec.seed, f.index, k, 0x17e3));
  const pool = pools[f.lang];
  const newest = spec.itemsPerFeed - 1;
  const published = new Date(spec.baseDate.getTime() + (k - newest) * f.cadenceMinutes * 60_000 - r.int(600) * 1000);
  let title: string;
  let description: string;
  let category: string | null = null;
  let wireId: string | null = null;
  let path: string;
  let when = published;
  if (r.chance(spec.syndicatedShare)) {
    const w = r.int(wireCount(spec, f.lang));
    wireId = `${f.lang}-${w}`;
    // The wire text is a function of the wire id only: every copy starts from the same words.
    const wr = rng(mixSeed(spec.seed, 0x3172e, f.lang === 'es' ? 1 : 0, w));
    const base = nthText(pool, 1_000_000 + w, wr, 0);
    ({ title, description } = editWire(base.title, base.description, f, r));
    path = `/wire/${slug(base.title)}-${w}`;
    // Copies go out within the hour of the wire story, wherever it sits in each feed.
    when = new Date(spec.baseDate.getTime() - wr.int(72 * 60) * 60_000 + r.int(3600) * 1000);
  } else {
    // Interleaved ordinal: unique per (feed, item), and early items come first from the natural records.
    const t = nthText(pool, k * spec.feeds + f.index, r);
    title = t.title;
    description = t.description;
    category = t.category;
    const d = published.toISOString();
    path = `/${d.slice(0, 4)}/${d.slice(5, 7)}/${slug(title)}-${k}`;
  }
  // Some links carry tracking parameters, as feeds do (canonicalization folds them).
  const link = `https://${f.domain}${path}${r.chance(0.2) ? '?utm_source=rss&utm_medium=feed' : ''}`;
  const permaGuid = r.chance(0.5);
  return {
    k,
    guid: permaGuid ? link : `${f.domain}-${k}`,
    guidIsPermaLink: permaGuid,
    link,
    title,
    description,
    content: spec.contentBytes > 0 ? longText(pool, spec.contentBytes, r) : null,
    category,
    author: r.pick(AUTHORS),
    published: when,
    wireId,
  };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The feed document with items [count - itemsPerFeed, count), newest first. */
export function renderFeed(spec: FarmSpec, pools: TextPools, f: FeedInfo, count: number, selfUrl: string): { body: string; updated: Date } {
  const items: FarmItem[] = [];
  for (let k = count - 1; k >= Math.max(0, count - spec.itemsPerFeed); k--) items.push(farmItem(spec, pools, f, k));
  const updated = items[0]?.published ?? spec.baseDate;
  const lang = f.lang === 'es' ? 'es-MX' : 'en-US';
  if (f.format === 'rss') {
    const body = items
      .map(
        (it) => `    <item>
      <title>${esc(it.title)}</title>
      <link>${esc(it.link)}</link>
      <description>${esc(it.description)}</description>${it.content ? `\n      <content:encoded><![CDATA[<p>${it.content}</p>]]></content:encoded>` : ''}
      <guid isPermaLink="${it.guidIsPermaLink}">${esc(it.guid)}</guid>${it.category ? `\n      <category>${esc(it.category)}</category>` : ''}${it.author ? `\n      <dc:creator>${esc(it.author)}</dc:creator>` : ''}
      <pubDate>${it.published.toUTCString()}</pubDate>
    </item>`,
      )
      .join('\n');
    return {
      updated,
      body: `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${esc(f.outlet)}</title>
    <link>https://${f.domain}/</link>
    <description>${esc(f.outlet)} — ${f.lang === 'es' ? 'noticias' : 'news'}</description>
    <language>${lang}</language>
    <atom:link href="${esc(selfUrl)}" rel="self" type="application/rss+xml"/>
    <lastBuildDate>${updated.toUTCString()}</lastBuildDate>
${body}
  </channel>
</rss>
`,
    };
  }
  const entries = items
    .map(
      (it) => `  <entry>
    <title type="text">${esc(it.title)}</title>
    <link rel="alternate" type="text/html" href="${esc(it.link)}"/>
    <id>${esc(it.guidIsPermaLink ? it.link : `tag:${f.domain},2026:${it.k}`)}</id>
    <published>${it.published.toISOString()}</published>
    <updated>${it.published.toISOString()}</updated>${it.author ? `\n    <author><name>${esc(it.author)}</name></author>` : ''}${it.category ? `\n    <category term="${esc(it.category)}"/>` : ''}
    <summary type="text">${esc(it.description)}</summary>${it.content ? `\n    <content type="html">${esc(`<p>${it.content}</p>`)}</content>` : ''}
  </entry>`,
    )
    .join('\n');
  return {
    updated,
    body: `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${lang}">
  <title>${esc(f.outlet)}</title>
  <id>https://${f.domain}/</id>
  <link rel="alternate" href="https://${f.domain}/"/>
  <link rel="self" href="${esc(selfUrl)}"/>
  <updated>${updated.toISOString()}</updated>
${entries}
</feed>
`,
  };
}

export { loadTextPools };
