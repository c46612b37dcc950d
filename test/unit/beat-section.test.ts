import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_FILE, defaultBeatRules, defaultLexiconEntries, loadRules, RulesError } from '../../src/beat/index.js';
import { createBeat } from '../../src/beat/beat.js';
import { articleFeatures } from '../../src/cluster/features.js';

// The rules file's `beat` section (what readers see of the beat) and its clustering lexicon: validated at load
// with the rest of the rules, defaults derived from the beat's name.

const shipped = () => JSON.parse(readFileSync(DEFAULT_RULES_FILE, 'utf8')) as Record<string, any>;

/** Writes rules beside copies of the shipped gazetteer and lexicon files (so relative names resolve) and loads them. */
function loadEdited(edit: (rules: Record<string, any>) => void, extra: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'beat-section-'));
  const data = shipped();
  for (const f of [...data.gazetteerFiles, data.lexiconFile]) writeFileSync(path.join(dir, f), readFileSync(path.join(path.dirname(DEFAULT_RULES_FILE), f)));
  for (const [f, text] of Object.entries(extra)) writeFileSync(path.join(dir, f), text);
  edit(data);
  const file = path.join(dir, 'rules.json');
  writeFileSync(file, JSON.stringify(data));
  return () => loadRules(file);
}

describe('the beat section', () => {
  it("keeps the shipped beat's strings as the site showed them", () => {
    const { beat } = defaultBeatRules();
    expect(beat).toMatchObject({
      name: 'US–Mexico security',
      all: { name: 'All US–Mexico security news' },
      site: {
        title: 'Latest US–Mexico security news',
        tagline: 'US–Mexico security news in English and Spanish: each event once, with every outlet’s coverage.',
        searchHint: 'cartel, fentanilo, Culiacán…',
      },
      evidence: { context: 'US–Mexico context' },
      newsletter: { kicker: 'Frontera · US–Mexico security', feedDescription: 'Daily and weekly digests of US–Mexico security news in English and Spanish.' },
      press: { us: { name: 'US press', country: 'the US' }, mx: { name: 'Mexican press', country: 'Mexico' } },
    });
  });

  it('derives every string a file leaves out from the name', () => {
    const { beat } = loadEdited((r) => (r.beat = { id: 'antarctic-research', name: 'Antarctic research' }))();
    expect(beat).toEqual({
      id: 'antarctic-research',
      name: 'Antarctic research',
      description: 'Antarctic research news',
      all: { name: 'All Antarctic research news', description: 'Every story on the beat, whatever its topics.' },
      site: {
        title: 'Latest Antarctic research news',
        lede: 'Antarctic research news, newest activity first: each event once, with every outlet’s coverage.',
        tagline: 'Antarctic research news: each event once, with every outlet’s coverage.',
        footer: 'Frontera aggregates Antarctic research news from many outlets. Headlines link to the outlets.',
        searchHint: 'Search Antarctic research news…',
      },
      evidence: { context: 'Antarctic research context', cooccurrence: 'actors of both sides together' },
      newsletter: { kicker: 'Frontera · Antarctic research', feedDescription: 'Daily and weekly digests of Antarctic research news.' },
      api: { description: 'Antarctic research news, aggregated from many outlets and clustered into stories.' },
      press: { us: { name: 'US press', country: 'US' }, mx: { name: 'MX press', country: 'MX' } },
    });
  });

  it('names a missing or empty field, and an unknown one, at load time', () => {
    const noName = loadEdited((r) => delete r.beat.name);
    expect(noName).toThrow(RulesError);
    expect(noName).toThrow(/beat\.name/);
    expect(loadEdited((r) => (r.beat.site.footer = '  '))).toThrow(/beat\.site\.footer/);
    expect(loadEdited((r) => (r.beat.site.banner = 'x'))).toThrow(/beat\.site[\s\S]*banner/);
    expect(loadEdited((r) => (r.beat.press.mx = { name: 'Mexican press', flag: 'mx' }))).toThrow(/beat\.press\.mx[\s\S]*flag/);
  });

  it('loaded rules stay self-contained: serialised, they load again to the same beat and lexicon', () => {
    const rules = defaultBeatRules();
    const { rulesVersion: _stamp, ...data } = rules;
    const again = loadEdited((r) => {
      for (const k of Object.keys(r)) delete r[k];
      Object.assign(r, data);
    })();
    expect(again.beat).toEqual(rules.beat);
    expect(again.lexicon).toEqual(rules.lexicon);
  });
});

describe('the clustering lexicon', () => {
  it("is the one the beat's placement uses: another beat's articles share its concepts, not the shipped ones", () => {
    const other = createBeat(path.resolve('test/fixtures/rules/great-lakes-shipping.json'));
    const shipped = createBeat();
    const a = { title: 'Laker stuck in ice near the Soo Locks', summary: '', lang: 'en', publishedAt: new Date(0) };
    const mine = articleFeatures(a, { lexicon: other.clusterOptions.lexicon });
    expect(Object.keys(mine.anchors)).toEqual(expect.arrayContaining(['c:freighter', 'c:ice', 'p:soo']));
    const theirs = articleFeatures(a, { lexicon: shipped.clusterOptions.lexicon });
    expect(Object.keys(theirs.anchors)).not.toContain('c:freighter');
    // Its storyline subjects are its own gazetteer's (an association is not one), the rest is the shipped placement.
    expect(other.clusterOptions.storylines?.subjects.size).toBe(0);
    expect(other.clusterOptions.storylines?.castWords.has('carriers')).toBe(true);
    expect(shipped.clusterOptions.storylines?.subjects.has('person:nemesio-oseguera')).toBe(true);
    const rest = (o: typeof other.clusterOptions) => ({ ...o, lexicon: null, storylines: null });
    expect(rest(other.clusterOptions)).toEqual(rest(shipped.clusterOptions));
  });

  it('is read from the file the shipped rules name, in file order, without loading the gazetteers', () => {
    const file = path.join(path.dirname(DEFAULT_RULES_FILE), shipped().lexiconFile);
    expect(defaultLexiconEntries()).toEqual(JSON.parse(readFileSync(file, 'utf8')).entries);
    expect(defaultBeatRules().lexicon).toEqual(defaultLexiconEntries());
  });

  it('appends the file to inline entries', () => {
    const rules = loadEdited((r) => (r.lexicon = [{ id: 'c:krill', kind: 'concept', forms: ['krill'] }]))();
    expect(rules.lexicon[0]).toEqual({ id: 'c:krill', kind: 'concept', forms: ['krill'] });
    expect(rules.lexicon.length).toBe(defaultLexiconEntries().length + 1);
  });

  it('rejects forms the matcher would never meet, ids of the wrong kind and duplicates, naming them', () => {
    const bad = (entries: unknown[]) => loadEdited((r) => (r.lexicon = entries));
    expect(bad([{ id: 'c:ice', kind: 'concept', forms: ['Ice Shelf'] }])).toThrow(/form "Ice Shelf" is not folded \(write "ice shelf"\)/);
    expect(bad([{ id: 'c:ice', kind: 'concept', forms: ['a b c d e'] }])).toThrow(/longer than 4 words/);
    expect(bad([{ id: 'p:ice', kind: 'concept', forms: ['ice'] }])).toThrow(/a concept id starts with "c:"/);
    expect(bad([{ id: 'c:cartel', kind: 'concept', forms: ['x'] }])).toThrow(/duplicate id "c:cartel"/);
  });

  it('reports an unreadable or malformed lexicon file with the key that names it', () => {
    expect(loadEdited((r) => (r.lexiconFile = 'missing.json'))).toThrow(/lexiconFile: cannot read missing\.json/);
    expect(loadEdited((r) => (r.lexiconFile = 'x.json'), { 'x.json': '{ nope' })).toThrow(/lexiconFile: x\.json is not valid JSON/);
    expect(loadEdited((r) => (r.lexiconFile = 'x.json'), { 'x.json': '{"entries":[{"id":"c:a","kind":"thing","forms":["a"]}]}' })).toThrow(/lexiconFile: x\.json: entries\.0\.kind/);
  });
});
