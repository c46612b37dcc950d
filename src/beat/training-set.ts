// What the learnable part of the beat is trained on: the labels the project ships (joined with their items)
// and an editor's corrections. Pure.
import type { LabelledItem } from './labels-corpus.js';
import type { TrainingExample } from './learned.js';

/**
 * The outlet a shipped label's item comes from (leave-one-outlet-out groups): the feed stem without its
 * snapshot suffix (`mexico-news-daily-4a226858#3` → `mexico-news-daily`), or `huffpost` / `agnews`.
 */
export function outletGroup(key: string): string {
  const pool = /^(huffpost|agnews):\d+$/.exec(key);
  if (pool) return pool[1]!;
  const feed = /^([a-z0-9-]+?)(?:-[0-9a-f]{8})?#\d+$/.exec(key);
  return feed ? feed[1]! : key;
}

/** A training example with the identity of its item (the labels' title_sha1) for merging. */
export interface KeyedExample {
  example: TrainingExample;
  titleSha1: string;
}

export function labelledExample(it: LabelledItem): KeyedExample {
  return {
    example: { key: it.label.key, title: it.title, text: it.text, lang: it.label.lang, relevance: it.label.relevance, group: outletGroup(it.label.key) },
    titleSha1: it.label.title_sha1,
  };
}

/**
 * The training set: the shipped examples, then the corrections. A correction of an item the shipped labels
 * also hold — same key, or same title (title_sha1, the labels' own join check: an article ingested from the
 * same feed item has the same title) — replaces that label: the editor's word is the newer one.
 */
export function mergeExamples(shipped: readonly KeyedExample[], corrections: readonly KeyedExample[]): { examples: TrainingExample[]; replaced: string[] } {
  const keys = new Set(corrections.map((c) => c.example.key));
  const titles = new Set(corrections.map((c) => c.titleSha1));
  const replaced: string[] = [];
  const examples: TrainingExample[] = [];
  for (const s of shipped) {
    if (keys.has(s.example.key) || titles.has(s.titleSha1)) replaced.push(s.example.key);
    else examples.push(s.example);
  }
  for (const c of corrections) examples.push(c.example);
  return { examples, replaced };
}
