// feedparser's ill-formed and entity fixtures through the whole reader stage (decode → parse → normalize): a
// document may be rejected, but only as an AppError with a parse/decode code; nothing else may escape.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../src/errors.js';
import { readFeed } from '../../src/reader/read-feed.js';
import { CORPUS_MISSING_MESSAGE, corpusDir } from '../helpers/corpus.js';

const corpus = corpusDir();
if (!corpus) console.warn(`corpus-illformed: ${CORPUS_MISSING_MESSAGE}`);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** feedparser fixtures carry their HTTP headers in the leading comment ("Header: Content-type: …"). */
function contentTypeOf(text: string): string | null {
  const m = /^\s*Header:\s*Content-type:\s*(.+)$/im.exec(text.slice(0, 2000));
  return m ? m[1]!.trim() : null;
}

const SETS = ['illformed', 'entities'] as const;

describe.runIf(corpus)('feedparser ill-formed and entity fixtures through readFeed', () => {
  for (const set of SETS) {
    const dir = path.join(corpus ?? '', 'feedparser-tests/tests', set);
    const files = corpus ? filesUnder(dir) : [];

    it(`${set}: ${files.length} documents end as a result or an AppError, never another exception`, async () => {
      expect(files.length).toBeGreaterThan(5);
      const outcomes = { ok: 0, rejected: new Map<string, number>() };
      for (const file of files) {
        const bytes = readFileSync(file);
        try {
          const r = await readFeed(bytes, { contentType: contentTypeOf(bytes.toString('latin1')), feedUrl: 'https://fixtures.example/feed', now: new Date('2026-11-25T12:00:00Z') });
          // A result is well-typed all the way down.
          for (const it of r.items) {
            expect(typeof it.title).toBe('string');
            expect(typeof it.summaryHtml).toBe('string');
            expect(it.publishedAt).toBeInstanceOf(Date);
            expect(Number.isNaN(it.publishedAt.getTime())).toBe(false);
            if (it.url) expect(it.url).toMatch(/^https?:\/\//);
          }
          outcomes.ok++;
        } catch (e) {
          if (!isAppError(e)) throw new Error(`${path.relative(dir, file)}: non-AppError escaped: ${(e as Error)?.stack ?? String(e)}`);
          expect(e.code, path.relative(dir, file)).toMatch(/^(parse_|decode_)/);
          outcomes.rejected.set(e.code, (outcomes.rejected.get(e.code) ?? 0) + 1);
        }
      }
      console.info(`${set}: ${outcomes.ok} parsed, rejected ${JSON.stringify(Object.fromEntries(outcomes.rejected))}`);
    });
  }

  it('entity fixtures decode the named entity into the title (sample)', async () => {
    const dir = path.join(corpus!, 'feedparser-tests/tests/entities');
    const r = await readFeed(readFileSync(path.join(dir, 'aacute.xml')), { feedUrl: 'https://fixtures.example/feed', now: new Date() });
    expect(JSON.stringify(r)).toContain('á');
  });
});
