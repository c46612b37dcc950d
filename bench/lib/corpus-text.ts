// Real English and Spanish news text from the shared corpus, for the feed farm and the bulk loader.
// Sources: AG News test set and HuffPost head10k (headline + description), the beat-keyword candidate
// subsets (on-beat-ish items, so the classifier and clusterer see realistic hits), the 2026 feed
// snapshots (EN and ES), and SemEval 2022 task 8 en-es article bodies (long Spanish and English text,
// cut into windows when the headline pools run out). Without a corpus: synthetic text and a warning.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { corpusDir } from './paths.js';
import { permutation, type Rng } from './prng.js';

export type Lang = 'en' | 'es';

export interface TextRecord {
  title: string;
  description: string;
  category: string | null;
}

export interface LangPool {
  /** Natural (headline, description) pairs, in a seeded order. */
  records: TextRecord[];
  /** Long bodies as word arrays: windows of them make more distinct items when records run out. */
  bodies: string[][];
  /** Records that matched the beat keywords (cartel, border, fentanyl, …). */
  onBeat: TextRecord[];
}

export interface TextPools {
  source: 'corpus' | 'synthetic';
  corpusDir: string | null;
  en: LangPool;
  es: LangPool;
}

/** RFC 4180-ish CSV: quoted fields with "" escapes and embedded newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const ENT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
function decodeXmlText(s: string): string {
  return s
    .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) =>
      e[0] === '#' ? String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENT[e] ?? m),
    )
    .replace(/\s+/g, ' ')
    .trim();
}

const clean = (s: string) => s.replace(/\\/g, ' ').replace(/\s+/g, ' ').trim();

function readJsonl(file: string): Array<Record<string, unknown>> {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function feedItems(file: string): TextRecord[] {
  const xml = readFileSync(file, 'utf8');
  const out: TextRecord[] = [];
  for (const m of xml.matchAll(/<item[\s>][\s\S]*?<\/item>/g)) {
    const title = decodeXmlText(m[0].match(/<title>([\s\S]*?)<\/title>/)?.[1] ?? '');
    const description = decodeXmlText(m[0].match(/<description>([\s\S]*?)<\/description>/)?.[1] ?? '');
    const category = m[0].match(/<category>([\s\S]*?)<\/category>/)?.[1] ?? null;
    if (title) out.push({ title, description, category: category ? decodeXmlText(category) : null });
  }
  return out;
}

function loadCorpus(dir: string): { en: LangPool; es: LangPool } {
  const en: LangPool = { records: [], bodies: [], onBeat: [] };
  const es: LangPool = { records: [], bodies: [], onBeat: [] };

  const ag = path.join(dir, 'headlines/ag-news-test/test.csv');
  if (existsSync(ag)) {
    const classes = ['World', 'Sports', 'Business', 'Sci/Tech'];
    for (const r of parseCsv(readFileSync(ag, 'utf8'))) {
      if (r.length < 3) continue;
      en.records.push({ title: clean(r[1]!), description: clean(r[2]!), category: classes[Number(r[0]) - 1] ?? null });
    }
  }
  for (const r of readJsonl(path.join(dir, 'headlines/huffpost-news-category-v3-head10k/News_Category_Dataset_v3.head10000.json'))) {
    en.records.push({ title: clean(String(r.headline ?? '')), description: clean(String(r.short_description ?? '')), category: (r.category as string) ?? null });
  }
  for (const f of ['derived/ag-news-test.beat-keyword-candidates.jsonl', 'derived/huffpost-head10k.beat-keyword-candidates.jsonl']) {
    for (const r of readJsonl(path.join(dir, f))) {
      const title = clean(String(r.title ?? r.headline ?? ''));
      const description = clean(String(r.description ?? r.short_description ?? ''));
      if (title) en.onBeat.push({ title, description, category: (r.class_name ?? r.category ?? null) as string | null });
    }
  }
  const feeds = path.join(dir, 'news-feed-snapshots-2026/feeds');
  if (existsSync(feeds)) {
    for (const f of readdirSync(feeds).filter((f) => f.endsWith('.xml'))) {
      const items = feedItems(path.join(feeds, f));
      const spanish = /financiero|milenio/.test(f);
      (spanish ? es : en).records.push(...items);
      // The 2026 snapshots are border / Mexico outlets: on the beat more often than the headline sets.
      (spanish ? es : en).onBeat.push(...items);
    }
  }
  const semeval = path.join(dir, 'semeval2022-task8-news-similarity/training_set.en-es.csv');
  if (existsSync(semeval)) {
    const rows = parseCsv(readFileSync(semeval, 'utf8'));
    const h = rows[0] ?? [];
    const [l1, l2, t1, t2] = ['lang1', 'lang2', 'text1', 'text2'].map((c) => h.indexOf(c));
    for (const r of rows.slice(1)) {
      for (const [li, ti] of [
        [l1, t1],
        [l2, t2],
      ] as const) {
        const lang = r[li!];
        const words = clean(r[ti!] ?? '').split(' ').filter(Boolean);
        if (words.length < 40 || (lang !== 'en' && lang !== 'es')) continue;
        const pool = lang === 'es' ? es : en;
        pool.bodies.push(words);
        // The text starts with the headline run into the body: the first dozen words make a fair headline.
        pool.records.push({ title: words.slice(0, 12).join(' '), description: words.slice(12, 60).join(' '), category: null });
      }
    }
  }
  en.records = en.records.filter((r) => r.title.length > 5);
  es.records = es.records.filter((r) => r.title.length > 5);
  return { en, es };
}

const SYN: Record<Lang, string[]> = {
  en: 'border cartel security officials said tuesday federal agents seized fentanyl shipment crossing report migrants asylum policy mexico city governor announced new measures against violence trade talks tariffs state police investigation court ruling president'.split(' '),
  es: 'frontera cártel seguridad autoridades informaron martes agentes federales aseguraron cargamento fentanilo cruce migrantes asilo política gobierno anunció nuevas medidas contra violencia comercio aranceles policía estatal investigación tribunal presidenta'.split(' '),
};

function synthetic(): { en: LangPool; es: LangPool } {
  const make = (lang: Lang): LangPool => {
    const bodies: string[][] = [];
    let x = lang === 'en' ? 7 : 11;
    for (let b = 0; b < 200; b++) {
      const words: string[] = [];
      for (let w = 0; w < 300; w++) {
        x = (x * 1103515245 + 12345) >>> 0;
        words.push(SYN[lang][x % SYN[lang].length]!);
      }
      bodies.push(words);
    }
    return { records: [], bodies, onBeat: [] };
  };
  return { en: make('en'), es: make('es') };
}

let cached: TextPools | null = null;

/** Loads the text pools once per process (seeded order, so farms are reproducible). */
export function loadTextPools(seed = 1): TextPools {
  if (cached) return cached;
  const dir = corpusDir();
  let pools = dir ? loadCorpus(dir) : null;
  const empty = !pools || pools.en.records.length + pools.es.records.length === 0;
  if (empty) {
    console.warn(
      `WARNING: corpus not found${dir ? ` (or empty) at ${dir}` : ''} (set CORPUS_DIR): the feed farm uses SYNTHETIC text; ` +
        'classifier hits, clustering and parse costs will not be representative.',
    );
    pools = synthetic();
  }
  for (const lang of ['en', 'es'] as const) {
    const p = pools![lang];
    const perm = permutation(p.records.length, seed);
    p.records = Array.from(perm, (i) => p.records[i]!);
    if (p.bodies.length === 0) p.bodies = synthetic()[lang].bodies;
  }
  cached = { source: empty ? 'synthetic' : 'corpus', corpusDir: dir, en: pools!.en, es: pools!.es };
  return cached;
}

function window(words: string[], start: number, len: number): string {
  const out: string[] = [];
  for (let i = 0; i < len; i++) out.push(words[(start + i) % words.length]!);
  const s = out.join(' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The n-th distinct text of a language: natural records first, then windows cut from long bodies
 * (random access, so a feed's item k can be built without building the ones before it).
 */
export function nthText(pool: LangPool, n: number, r: Rng, onBeatShare = 0.05): TextRecord {
  if (pool.onBeat.length && r.chance(onBeatShare)) {
    const b = pool.onBeat[r.int(pool.onBeat.length)]!;
    // Same story told again later: keep the headline, vary the description a little.
    return n < pool.records.length ? b : { ...b, description: b.description.split('. ').slice(0, 1 + r.int(3)).join('. ') };
  }
  if (n < pool.records.length) return pool.records[n]!;
  const body = pool.bodies[n % pool.bodies.length]!;
  const start = r.int(body.length);
  const tl = 7 + r.int(7);
  return { title: window(body, start, tl), description: window(body, start + tl, 25 + r.int(40)) + '.', category: null };
}

/** Long text of about `bytes` bytes (padding for big-feed tests), from bodies. */
export function longText(pool: LangPool, bytes: number, r: Rng): string {
  const parts: string[] = [];
  let n = 0;
  while (n < bytes) {
    const body = pool.bodies[r.int(pool.bodies.length)]!;
    const s = window(body, r.int(body.length), 40 + r.int(80)) + '.';
    parts.push(s);
    n += Buffer.byteLength(s) + 1;
  }
  return parts.join(' ');
}
