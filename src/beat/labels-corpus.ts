// The relevance labels the project ships (../shared/labels) and the join with their items in the shared corpus
// (../shared/corpus): what the evaluation scores against and what the learnable part of the beat trains on.
// Pure but for reading files (node:fs). Moved here from bench/eval-relevance-lib.ts, which re-exports it.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Relevance } from '../model/types.js';

export interface Label {
  key: string;
  relevance: Relevance;
  topics: string[];
  lang: 'en' | 'es';
  event: string | null;
  confidence: 'high' | 'medium' | 'low';
  title_sha1: string;
  reason: string;
}

export interface LabelledItem {
  label: Label;
  title: string;
  text: string;
}

export interface JoinFailure {
  key: string;
  reason: string;
}

// ---------------------------------------------------------------------------------------------- text utils

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', mdash: '—', ndash: '–',
  lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»', iexcl: '¡', iquest: '¿',
  aacute: 'á', eacute: 'é', iacute: 'í', oacute: 'ó', uacute: 'ú', ntilde: 'ñ', uuml: 'ü',
  Aacute: 'Á', Eacute: 'É', Iacute: 'Í', Oacute: 'Ó', Uacute: 'Ú', Ntilde: 'Ñ', Uuml: 'Ü', copy: '©', reg: '®',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g, (m, e: string) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return NAMED[e] ?? m;
  });
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const stripTags = (s: string) => s.replace(/<[^>]*>/g, ' ');
const unCdata = (s: string) => s.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1');

export function sha1(s: string): string {
  return createHash('sha1').update(s, 'utf8').digest('hex');
}

/** Title key as the labels define it: HTML entities decoded, whitespace collapsed, trimmed. */
export function titleKey(raw: string): string {
  return collapse(decodeEntities(raw));
}

/** Plain text from an RSS field that may hold escaped or CDATA-wrapped HTML. */
export function plainText(raw: string): string {
  return collapse(decodeEntities(stripTags(decodeEntities(unCdata(raw)))));
}

// ---------------------------------------------------------------------------------------------- corpus

interface RawItem {
  titleRaw: string;
  title: string;
  text: string;
}

/** The <item>s of an RSS file in document order (simple extraction; these files are trusted fixtures). */
export function extractFeedItems(xml: string): RawItem[] {
  const items: RawItem[] = [];
  for (const m of xml.matchAll(/<item\b[^>]*>([\s\S]*?)<\/item>/g)) {
    const block = m[1];
    const field = (tag: string) => block.match(new RegExp(`<${tag}\\b[^>]*>([\\s\\S]*?)</${tag}>`))?.[1] ?? '';
    const titleRaw = decodeEntities(unCdata(field('title')));
    items.push({ titleRaw, title: collapse(decodeEntities(stripTags(titleRaw))), text: plainText(field('description')) });
  }
  return items;
}

export class Corpus {
  private feeds = new Map<string, RawItem[] | null>();
  private huffpost?: Map<number, { headline: string; short_description: string }>;
  private agnews?: Map<number, { title: string; description: string }>;

  constructor(readonly sharedDir: string) {}

  private jsonl<T>(file: string, keyField: string): Map<number, T> {
    const m = new Map<number, T>();
    const text = readFileSync(path.join(this.sharedDir, 'corpus/derived', file), 'utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const r = JSON.parse(line) as Record<string, unknown>;
      m.set(r[keyField] as number, r as T);
    }
    return m;
  }

  feedItems(stem: string): RawItem[] | null {
    if (!this.feeds.has(stem)) {
      try {
        const xml = readFileSync(path.join(this.sharedDir, 'corpus/news-feed-snapshots-2026/feeds', `${stem}.xml`), 'utf8');
        this.feeds.set(stem, extractFeedItems(xml));
      } catch {
        this.feeds.set(stem, null);
      }
    }
    return this.feeds.get(stem)!;
  }

  /** Every item of the 2026 feed snapshots (for benchmarks). */
  allFeedItems(): { title: string; text: string }[] {
    const dir = path.join(this.sharedDir, 'corpus/news-feed-snapshots-2026/feeds');
    let stems: string[] = [];
    try {
      stems = readdirSync(dir).filter((f) => f.endsWith('.xml')).map((f) => f.slice(0, -4)).sort();
    } catch {
      return [];
    }
    return stems.flatMap((s) => this.feedItems(s) ?? []);
  }

  lookup(key: string): { title: string; text: string; titleCandidates: string[] } | string {
    const hp = key.match(/^huffpost:(\d+)$/);
    if (hp) {
      this.huffpost ??= this.jsonl('huffpost-head10k.beat-keyword-candidates.jsonl', 'source_line');
      const r = this.huffpost.get(Number(hp[1]));
      return r ? { title: r.headline, text: r.short_description, titleCandidates: [r.headline] } : 'no huffpost record with that source_line';
    }
    const ag = key.match(/^agnews:(\d+)$/);
    if (ag) {
      this.agnews ??= this.jsonl('ag-news-test.beat-keyword-candidates.jsonl', 'source_row');
      const r = this.agnews.get(Number(ag[1]));
      return r ? { title: r.title, text: r.description, titleCandidates: [r.title] } : 'no agnews record with that source_row';
    }
    const feed = key.match(/^([a-z0-9-]+)#(\d+)$/);
    if (feed) {
      const items = this.feedItems(feed[1]);
      if (!items) return `feed file ${feed[1]}.xml not found`;
      const it = items[Number(feed[2])];
      if (!it) return `feed ${feed[1]} has ${items.length} items, no #${feed[2]}`;
      return { title: it.title, text: it.text, titleCandidates: [it.titleRaw, it.title] };
    }
    return 'unknown key format';
  }
}

export function readLabels(file: string): Label[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Label);
}

export function joinLabels(labels: Label[], corpus: Corpus): { items: LabelledItem[]; failures: JoinFailure[] } {
  const items: LabelledItem[] = [];
  const failures: JoinFailure[] = [];
  for (const label of labels) {
    const found = corpus.lookup(label.key);
    if (typeof found === 'string') {
      failures.push({ key: label.key, reason: found });
      continue;
    }
    const ok = found.titleCandidates.some((t) => sha1(titleKey(t)) === label.title_sha1);
    if (!ok) {
      failures.push({ key: label.key, reason: `title_sha1 mismatch for "${collapse(found.title).slice(0, 80)}"` });
      continue;
    }
    items.push({ label, title: collapse(found.title), text: collapse(found.text) });
  }
  return { items, failures };
}


/** The dev labels' file in a shared directory (see src/shared-dir.ts). */
export function defaultLabelsFile(sharedDir: string): string {
  return path.join(sharedDir, 'labels/relevance-dev.jsonl');
}
