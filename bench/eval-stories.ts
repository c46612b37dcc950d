// npm run eval:stories
// Replays every 2026 feed snapshot of the shared corpus through the real ingest path (loopback server,
// addSources, refreshDueSources with the app's classifier, the cluster scheduler) on PGlite, or on
// PostgreSQL when DATABASE_URL is set, and scores the stories against the dev labels' events: events held
// together, stories mixing two events, on-beat headlines, the API's event-time order.
// The harness is the integration test's (test/helpers/snapshot-replay.ts). Last line: {"eval":"stories", ...}.
import { createTestDb, dbKind } from '../test/helpers/db.js';
import { configureTranslation, closeTranslation } from '../src/runtime/translate/index.js';
import { CORPUS_MISSING_MESSAGE } from '../test/helpers/corpus.js';
import { figuresJson, runSnapshotReplay, snapshotCorpus, summaryLine, type ReplayFigures } from '../test/helpers/snapshot-replay.js';

const corpus = snapshotCorpus();
if (!corpus) {
  console.log(`(skipped: ${CORPUS_MISSING_MESSAGE})`);
  console.log(JSON.stringify({ eval: 'stories', skipped: true }));
  process.exit(0);
}

// TRANSLATOR=off|auto|apertium as for the app: the replay's placement reads Spanish articles in English when on.
const translator = configureTranslation((process.env.TRANSLATOR as 'auto' | 'apertium' | 'off' | undefined) ?? 'auto');
console.log(`translator: ${translator?.name ?? 'none'}`);
const t = await createTestDb();
let f: ReplayFigures;
try {
  f = (await runSnapshotReplay(t, dbKind, corpus)).figures;
} finally {
  await t.close();
  closeTranslation();
}

const row = (label: string, value: string | number) => console.log(`  ${label.padEnd(52)} ${value}`);
const cut = (s: string, n = 100) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

console.log(`\n== Snapshot replay on ${f.db}: ${f.snapshots} snapshot files, ${f.items} items, ${f.passes} refresh passes (${(f.durationMs / 1000).toFixed(1)} s)`);
row('fetches ok / 304 / failed', `${f.fetches.ok} / ${f.fetches.notModified} / ${f.fetches.error}`);
for (const e of f.fetches.errors) console.log(`    failed: ${e}`);
for (const [w, n] of Object.entries(f.warnings)) console.log(`    warning ×${n}: ${cut(w, 200)}`);
row('articles stored', f.articles);
row('clusterable articles in no story (nor roundup)', f.unplacedArticles);
row('live stories (on the beat)', `${f.stories} (${f.onBeatStories})`);
row('stories with ≥ 2 outlets', f.multiOutletStories);
row('story_links rows / story_roundups rows', `${f.links} / ${f.roundups}`);

console.log('\n== Label join (relevance-dev.jsonl, feed snapshot keys)');
row('feed labels / joined', `${f.join.feedLabels} / ${f.join.joined}`);
row('title_sha1 mismatches (skipped)', f.join.sha1Mismatches.length);
for (const m of f.join.sha1Mismatches) console.log(`    ${m.key}: ${cut(m.title)}`);
row('keys naming no snapshot item (skipped)', f.join.missingItems.length);
row('joined labels with no stored article', f.join.noArticle.length);
for (const k of f.join.noArticle) console.log(`    ${k}`);
row('item → article join', Object.entries(f.join.methods).map(([k, v]) => `${k} ${v}`).join(', '));

console.log('\n== Labelled on-beat articles');
row('labelled on the beat (of which without an event id)', `${f.onBeat.labelled} (${f.onBeat.noEvent})`);
row('classified on_beat / adjacent / off_beat', `${f.onBeat.classifiedOnBeat} / ${f.onBeat.classifiedAdjacent} / ${f.onBeat.classifiedOff.length}`);
row('placed in a story', f.onBeat.placed);
row('roundups (no story, by design)', f.onBeat.roundups.length);
for (const r of f.onBeat.roundups) console.log(`    ${r.key}: ${cut(r.title)}`);
row('classified on/adjacent but in no story', f.onBeat.unplaced.length);
for (const u of f.onBeat.unplaced) console.log(`    ${u.key}: ${cut(u.title)}`);
if (f.onBeat.classifiedOff.length) {
  console.log('  classified off the beat (not placed; the classifier\'s concern):');
  for (const o of f.onBeat.classifiedOff) console.log(`    ${o.key}: ${cut(o.title)}`);
}

console.log('\n== Events (labelled event with ≥ 2 on-beat articles)');
row('events / fully placed / checked (≥ 2 placed)', `${f.events.multi} / ${f.events.fullyPlaced} / ${f.events.checked}`);
row('held (one story, or linked stories)', `${f.events.held} / ${f.events.checked} (by links: ${f.events.heldByLinks})`);
for (const v of f.events.violations) {
  console.log(`  ✗ ${v.event}: ${v.articles} articles in ${v.fragments.length} unlinked stories`);
  for (const s of v.fragments) {
    console.log(`      story ${s.storyId}: ${cut(s.headline)}`);
    for (const t of s.titles) console.log(`          ${cut(t)}`);
  }
}

console.log('\n== Mixed stories (on-beat articles of two labelled events)');
row('mixed stories', f.mixed.length);
for (const m of f.mixed) {
  console.log(`  ✗ story ${m.storyId}: ${cut(m.headline)}`);
  for (const [ev, titles] of Object.entries(m.events)) for (const t of titles) console.log(`      ${ev}: ${cut(t)}`);
}

console.log('\n== Headlines of on-beat stories (an on-beat member\'s title)');
row('violations / on-beat stories', `${f.headline.violations.length} / ${f.headline.checked}`);
for (const v of f.headline.violations) {
  console.log(`  ✗ story ${v.storyId}: "${cut(v.headline)}" (member classified ${v.headlineRelevance ?? 'not a member'})`);
  for (const t of v.onBeatTitles) console.log(`      on-beat member: ${cut(t)}`);
}

console.log('\n== Order (/v1/topics/all/stories, every page)');
row('items / pages', `${f.order.items} / ${f.order.pages}`);
row('newest event first', f.order.ok ? 'ok' : `${f.order.violations.length} inversions, ${f.order.duplicates.length} stories listed twice`);
for (const v of f.order.violations.slice(0, 10)) console.log(`  ✗ #${v.index} story ${v.id}: ${v.cur} after ${v.prev}`);

console.log(`\n${summaryLine(f)}`);
console.log(JSON.stringify({ eval: 'stories', ...figuresJson(f) }));
