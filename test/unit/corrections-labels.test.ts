import { describe, expect, it } from 'vitest';
import type { CorrectedArticle } from '../../db/repositories/corrections.repository.js';
import { labelledExample, mergeExamples, outletGroup, type KeyedExample } from '../../src/beat/training-set.js';
import { correctionKey, correctionLabel, parseRelevance, titleSha1 } from '../../src/services/corrections.js';
import { loadShippedExamples } from '../../src/services/retrain.js';
import { findSharedDir, SHARED_MISSING_MESSAGE } from '../../src/shared-dir.js';

const corrected = (over: Partial<CorrectedArticle> = {}): CorrectedArticle => ({
  articleId: 7,
  relevance: 'on_beat',
  topics: ['border-security'],
  note: null,
  correctedBy: 'api',
  correctedAt: new Date('2026-11-25T12:00:00Z'),
  title: 'Troops &amp; drones   sent to the border ',
  summaryText: 'The Pentagon said on Tuesday…',
  categories: [],
  lang: 'en',
  url: 'https://news.example/a?utm_source=rss',
  canonicalUrl: 'https://news.example/a',
  dedupKey: 'u:https://news.example/a',
  storyId: 3,
  ...over,
});

const keyed = (key: string, title: string, relevance: 'on_beat' | 'adjacent' | 'off_beat', group: string): KeyedExample => ({
  example: { key, title, text: '', lang: 'en', relevance, group },
  titleSha1: titleSha1(title),
});

describe('correction labels and training examples', () => {
  it('relevance shorthands', () => {
    expect(['on', 'on_beat', 'adjacent', 'off', 'off_beat'].map(parseRelevance)).toEqual(['on_beat', 'on_beat', 'adjacent', 'off_beat', 'off_beat']);
    expect(parseRelevance('maybe')).toBeNull();
    expect(parseRelevance('toString')).toBeNull();
  });

  it('a correction exports as a label line of the shipped format, keyed by canonical URL', () => {
    const l = correctionLabel(corrected({ note: 'seen at Nogales' }));
    expect(Object.keys(l)).toEqual(['key', 'relevance', 'topics', 'lang', 'event', 'confidence', 'title_sha1', 'reason']);
    expect(l).toEqual({
      key: 'article:https://news.example/a',
      relevance: 'on_beat',
      topics: ['border-security'],
      lang: 'en',
      event: null,
      confidence: 'high',
      // The labels' title key: entities decoded, whitespace collapsed and trimmed.
      title_sha1: titleSha1('Troops & drones sent to the border'),
      reason: 'seen at Nogales',
    });
    expect(correctionLabel(corrected({ relevance: 'off_beat', topics: [] })).reason).toBe('editor correction');
    // No URL: the dedup key. No language of the two: detected from the text.
    expect(correctionKey(corrected({ canonicalUrl: null, dedupKey: 'g:4:guid-9' }))).toBe('article:g:4:guid-9');
    expect(correctionLabel(corrected({ lang: null, title: 'Detienen a un operador del cártel en Culiacán', summaryText: 'La Fiscalía informó que el detenido…' })).lang).toBe('es');
  });

  it('groups shipped labels by outlet', () => {
    expect(outletGroup('border-report#0')).toBe('border-report');
    expect(outletGroup('mexico-news-daily-4a226858#12')).toBe('mexico-news-daily');
    expect(outletGroup('huffpost:4411')).toBe('huffpost');
    expect(outletGroup('agnews:93')).toBe('agnews');
  });

  it('a correction of a shipped item (same key or same title) replaces its label; order is stable', () => {
    const shipped = [
      keyed('npr#1', 'Cartel violence in Sinaloa', 'on_beat', 'npr'),
      keyed('npr#2', 'Bike lanes downtown', 'off_beat', 'npr'),
      keyed('agnews:5', 'Border wall contracts', 'adjacent', 'agnews'),
    ];
    const corrections = [keyed('article:https://x.example/1', 'Bike lanes downtown', 'adjacent', 'correction'), keyed('agnews:5', 'Other title', 'on_beat', 'correction')];
    const { examples, replaced } = mergeExamples(shipped, corrections);
    expect(replaced).toEqual(['npr#2', 'agnews:5']);
    expect(examples.map((e) => `${e.key}:${e.relevance}`)).toEqual(['npr#1:on_beat', 'article:https://x.example/1:adjacent', 'agnews:5:on_beat']);
    expect(mergeExamples(shipped, corrections)).toEqual({ examples, replaced });
  });

  const shared = findSharedDir();
  it.skipIf(!shared)(shared ? 'joins the shipped labels with the corpus; an article of the same item has the label’s title hash' : `shipped labels — ${SHARED_MISSING_MESSAGE}`, () => {
    const s = loadShippedExamples(shared);
    expect(s.file).toMatch(/labels\/relevance-dev\.jsonl$/);
    expect(s.joinFailures).toBe(0);
    expect(s.examples.length).toBeGreaterThan(500);
    expect(new Set(s.examples.map((e) => e.example.group))).toContain('mexico-news-daily');
    // What an article ingested from that item would be keyed by: the same hash, so its correction wins.
    for (const e of s.examples.slice(0, 50)) expect(titleSha1(e.example.title)).toBe(e.titleSha1);
    const first = s.examples[0]!;
    const { replaced } = mergeExamples(s.examples, [keyed('article:https://x.example/1', first.example.title, 'off_beat', 'correction')]);
    expect(replaced).toEqual([first.example.key]);
    expect(loadShippedExamples(null)).toEqual({ file: null, examples: [], joinFailures: 0 });
  });

  it('labelledExample keeps the label’s key, language and relevance', () => {
    const e = labelledExample({
      label: { key: 'milenio#3', relevance: 'adjacent', topics: [], lang: 'es', event: null, confidence: 'high', title_sha1: 'x', reason: 'r' },
      title: 'T',
      text: 'X',
    });
    expect(e).toEqual({ example: { key: 'milenio#3', title: 'T', text: 'X', lang: 'es', relevance: 'adjacent', group: 'milenio' }, titleSha1: 'x' });
  });
});
