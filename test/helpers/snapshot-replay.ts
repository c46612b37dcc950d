// Issue 17 ("Must show"): replay every 2026 feed snapshot of the shared corpus through the real ingest path and
// score the stories it builds against the dev labels' events. One harness for the integration test
// (test/integration/snapshot-replay.test.ts) and the evaluation (bench/eval-stories.ts).
//
// Real path, nothing mocked: a loopback HTTP server serves every snapshot file as it is, each file is added as
// a source through addSources (its outlet named, so two snapshots of one outlet count as one outlet), passes of
// refreshDueSources fetch them with the classifier the app builds (LiveBeat: the configured rules plus the
// active learned model, none in a fresh store) and the ClusterScheduler the app wires as `clustering`, which
// places every stored article before a pass returns. The snapshots are replayed in the order they were taken
// (lastBuildDate), one pass per capture time, with the clock at that time: the placer meets the coverage in
// the order a running worker would. Earlier snapshots stay sources and are polled again (answered 304).
// What was built is read back with plain SQL; the story order is read through the HTTP API.
import crypto from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { pino } from 'pino';
import Parser from 'rss-parser';
import { extractFeedItems, readLabels, sha1, titleKey, type Label } from '../../src/beat/labels-corpus.js';
import { canonicalizeUrl } from '../../src/reader/canonical-url.js';
import { ClusterScheduler } from '../../src/services/cluster-scheduler.js';
import { LiveBeat } from '../../src/services/live-beat.js';
import { refreshDueSources, type SourceOutcome } from '../../src/services/refresh-feeds.js';
import { addSources } from '../../src/services/sources.js';
import { makeApp, walk } from '../api/api-helpers.js';
import { corpusDir } from './corpus.js';
import type { TestDb } from './db.js';
import { refreshDeps, testConfig, TestClock } from './deps.js';
import { startFeedServer } from './feed-server.js';

export const SNAPSHOTS_SUBDIR = 'news-feed-snapshots-2026/feeds';

/** Where the snapshots and the labels are, or null when the shared corpus is absent. */
export function snapshotCorpus(): { feedsDir: string; labelsFile: string } | null {
  const corpus = corpusDir();
  if (!corpus) return null;
  const feedsDir = path.join(corpus, SNAPSHOTS_SUBDIR);
  const labelsFile = path.resolve(corpus, '../labels/relevance-dev.jsonl');
  if (!existsSync(feedsDir) || !existsSync(labelsFile)) return null;
  return { feedsDir, labelsFile };
}

// The languages the outlets publish in (the snapshots all declare <language>en</language>, the Spanish ones
// wrongly); the default source list gives the same (src/sources/default-sources.json).
const OUTLET_LANG: Record<string, string> = { milenio: 'es', 'el-financiero': 'es', 'sdp-noticias': 'es' };

/** `mexico-news-daily-4a226858` → `mexico-news-daily`: another stored snapshot of the same outlet. */
export const outletOfStem = (stem: string) => stem.replace(/-[0-9a-f]{8}$/, '');

// ------------------------------------------------------------------------------------------------ data types

export interface SnapshotItem {
  key: string; // `<stem>#<i>`, as the labels name it
  stem: string;
  index: number;
  guid: string | null;
  link: string | null;
  title: string;
  /** Title spellings the label's title_sha1 may have been computed from. */
  titleCandidates: string[];
}

export interface Snapshot {
  stem: string;
  /** `mexico-news-daily`: the outlet's slug (the snapshots' file names). */
  outlet: string;
  /** The feed's title, as a source added from it is named ("Mexico News Daily - Article Feed"). */
  title: string;
  file: string;
  builtAt: Date;
  items: SnapshotItem[];
}

export interface ArticleRow {
  id: number;
  guid: string | null;
  url: string | null;
  canonical_url: string | null;
  title: string;
  relevance: 'on_beat' | 'adjacent' | 'off_beat' | null;
  story_id: number | null;
  is_roundup: boolean;
  duplicate_of: number | null;
}

export interface StoryRow {
  id: number;
  headline: string;
  first_article_id: number | null;
  event_at: Date;
  relevance: 'on_beat' | 'adjacent' | 'off_beat' | null;
  article_count: number;
  outlet_count: number;
}

export interface ReplayData {
  dbKind: string;
  snapshots: Snapshot[];
  passes: number;
  fetches: { ok: number; notModified: number; error: number; errors: string[] };
  /** Warning and error log lines of the replay (event: message), with how often each occurred. */
  warnings: Record<string, number>;
  articles: ArticleRow[];
  stories: StoryRow[];
  links: { story_id: number; related_id: number }[];
  roundups: { story_id: number; article_id: number }[];
  /** item key → article id (null: no stored article found for the item). */
  articleOfItem: Map<string, number | null>;
  joinMethods: Record<string, number>;
  labels: Label[];
  /** The API's story list, /v1/topics/all/stories, every page. */
  apiStories: { id: number; eventAt: string }[];
  apiPages: number;
  durationMs: number;
}

// ------------------------------------------------------------------------------------------------ corpus

export async function readSnapshots(feedsDir: string): Promise<Snapshot[]> {
  const parser = new Parser();
  const out: Snapshot[] = [];
  for (const file of readdirSync(feedsDir).filter((f) => f.endsWith('.xml')).sort()) {
    const stem = file.slice(0, -4);
    const xml = readFileSync(path.join(feedsDir, file), 'utf8');
    const feed = await parser.parseString(xml);
    // A second, independent extraction (the one the relevance evaluation joins with): same items, same order.
    const plain = extractFeedItems(xml);
    if (plain.length !== feed.items.length) throw new Error(`${file}: rss-parser read ${feed.items.length} items, the <item> scan ${plain.length}`);
    const built = (feed as { lastBuildDate?: string }).lastBuildDate;
    const dates = feed.items.map((i) => (i.isoDate ? Date.parse(i.isoDate) : NaN)).filter(Number.isFinite);
    const builtAt = new Date(built && Number.isFinite(Date.parse(built)) ? Date.parse(built) : Math.max(...dates));
    out.push({
      stem,
      outlet: outletOfStem(stem),
      title: feed.title?.trim() || stem,
      file: path.join(feedsDir, file),
      builtAt,
      items: feed.items.map((it, index) => ({
        key: `${stem}#${index}`,
        stem,
        index,
        guid: it.guid?.trim() || null,
        link: it.link?.trim() || null,
        title: titleKey(it.title ?? ''),
        titleCandidates: [it.title ?? '', plain[index]!.titleRaw, plain[index]!.title],
      })),
    });
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ replay

function summarizeLog(line: string): string {
  try {
    const o = JSON.parse(line) as { event?: string; message?: string; msg?: string };
    return `${o.event ?? 'log'}: ${(o.message ?? o.msg ?? '').slice(0, 300)}`;
  } catch {
    return line.trim().slice(0, 300);
  }
}

/** Page size of the API walk for the order check. */
const ORDER_PAGE_SIZE = 10;

/** Snapshots taken within this long of each other are fetched in one pass. */
const PASS_GAP_MS = 2 * 3_600_000;

export async function replaySnapshots(t: TestDb, kind: string, corpus: { feedsDir: string; labelsFile: string }): Promise<ReplayData> {
  const started = Date.now();
  const snapshots = await readSnapshots(corpus.feedsDir);
  const labels = readLabels(corpus.labelsFile);
  const srv = await startFeedServer();
  const config = testConfig();
  // Warnings and errors of the pass (cluster_deferred: a placement that failed and was left pending) are kept
  // and reported: a silent logger would hide a broken placer behind "0 stories".
  const warnings: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(summarizeLog(line)) });
  const ordered = [...snapshots].sort((a, b) => a.builtAt.getTime() - b.builtAt.getTime() || a.stem.localeCompare(b.stem));
  const clock = new TestClock(ordered[0]!.builtAt);
  // The classifier and the placer as src/deps.ts builds them for a worker.
  const live = await LiveBeat.load(t.db, config.beatRulesFile);
  const clustering = new ClusterScheduler(t.db, clock.now, logger, { cluster: live.beat.clusterOptions });
  const fetches = { ok: 0, notModified: 0, error: 0, errors: [] as string[] };
  const urlOf = new Map<string, string>();
  let passes = 0;
  try {
    for (const s of snapshots) {
      const body = readFileSync(s.file);
      const etag = `"${crypto.createHash('sha1').update(body).digest('hex')}"`;
      const p = `/feeds/${s.stem}.xml`;
      srv.route(p, (req, res) => {
        if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(body);
      });
      urlOf.set(s.stem, srv.url(p));
    }
    const count = (o: SourceOutcome[]) => {
      for (const x of o) {
        if (x.outcome === 'ok') fetches.ok++;
        else if (x.outcome === 'not_modified') fetches.notModified++;
        else {
          fetches.error++;
          fetches.errors.push(`${x.url}: ${x.errorCode}`);
        }
      }
    };
    for (let i = 0; i < ordered.length; ) {
      const pass = [ordered[i]!];
      while (i + pass.length < ordered.length && ordered[i + pass.length]!.builtAt.getTime() - pass[0]!.builtAt.getTime() <= PASS_GAP_MS) pass.push(ordered[i + pass.length]!);
      i += pass.length;
      clock.t = new Date(pass.at(-1)!.builtAt.getTime() + 60_000);
      await addSources(
        t.db,
        // Named as `sources add` names a source (the feed's title), the outlet given as a person would ("Mexico News
        // Daily"): every snapshot of one outlet counts as that outlet.
        pass.map((s) => ({ url: urlOf.get(s.stem)!, name: s.title, outlet: s.title.replace(/\s+-\s+Article Feed$/, ''), ...(OUTLET_LANG[s.outlet] ? { lang: OUTLET_LANG[s.outlet] } : {}) })),
        clock.now(),
      );
      count(await refreshDueSources({ ...refreshDeps(t, clock, config, { classify: live.beat.classify, clustering }), logger }));
      passes++;
    }
  } finally {
    await clustering.close();
    await srv.close();
  }

  const db = t.db;
  const articles = (
    await sql<ArticleRow>`SELECT id, guid, url, canonical_url, title, relevance, story_id, is_roundup, duplicate_of FROM articles ORDER BY id`.execute(db)
  ).rows.map((r) => ({ ...r, id: Number(r.id), story_id: r.story_id === null ? null : Number(r.story_id), duplicate_of: r.duplicate_of === null ? null : Number(r.duplicate_of) }));
  const stories = (
    await sql<StoryRow>`
      SELECT id, headline, first_article_id, event_at, relevance, article_count, outlet_count
      FROM stories WHERE merged_into IS NULL ORDER BY id`.execute(db)
  ).rows.map((r) => ({ ...r, id: Number(r.id), first_article_id: r.first_article_id === null ? null : Number(r.first_article_id), event_at: new Date(r.event_at) }));
  const links = (await sql<{ story_id: number; related_id: number }>`SELECT story_id, related_id FROM story_links`.execute(db)).rows.map((r) => ({
    story_id: Number(r.story_id),
    related_id: Number(r.related_id),
  }));
  const roundups = (await sql<{ story_id: number; article_id: number }>`SELECT story_id, article_id FROM story_roundups`.execute(db)).rows.map((r) => ({
    story_id: Number(r.story_id),
    article_id: Number(r.article_id),
  }));
  const sourceItems = (
    await sql<{ url: string; item_key: string; article_id: number }>`
      SELECT s.url, si.item_key, si.article_id FROM source_items si JOIN sources s ON s.id = si.source_id`.execute(db)
  ).rows;

  // Item → article: the source's own item (source_items, keyed by GUID as the reader keys it), else the
  // stored article with that GUID, link, canonical link or title.
  const bySourceItem = new Map(sourceItems.map((r) => [`${r.url}\u0000${r.item_key}`, Number(r.article_id)]));
  const index = (f: (a: ArticleRow) => string | null) => {
    const m = new Map<string, number>();
    for (const a of articles) {
      const k = f(a);
      if (k && !m.has(k)) m.set(k, a.id);
    }
    return m;
  };
  const byGuid = index((a) => a.guid);
  const byUrl = index((a) => a.url);
  const byCanonical = index((a) => a.canonical_url);
  const byTitle = index((a) => titleKey(a.title));
  const articleOfItem = new Map<string, number | null>();
  const joinMethods: Record<string, number> = { source_item: 0, guid: 0, url: 0, canonical_url: 0, title: 0, none: 0 };
  for (const s of snapshots) {
    const url = urlOf.get(s.stem)!;
    for (const it of s.items) {
      const canon = it.link ? canonicalizeUrl(it.link) : null;
      const tries: [string, number | undefined][] = [
        ['source_item', it.guid ? bySourceItem.get(`${url}\u0000g:${it.guid}`) : undefined],
        ['guid', it.guid ? byGuid.get(it.guid) : undefined],
        ['url', it.link ? byUrl.get(it.link) : undefined],
        ['canonical_url', canon ? byCanonical.get(canon) : undefined],
        ['title', byTitle.get(it.title)],
      ];
      const hit = tries.find(([, id]) => id !== undefined);
      joinMethods[hit ? hit[0] : 'none']!++;
      articleOfItem.set(it.key, hit ? hit[1]! : null);
    }
  }

  const app = makeApp(t);
  // Small pages: the order must hold across page boundaries (the cursor), not only within one page.
  const { items, pages } = await walk<{ id: number; eventAt: string }>(app, `/v1/topics/all/stories?limit=${ORDER_PAGE_SIZE}`);
  return {
    dbKind: kind,
    snapshots,
    passes,
    fetches,
    warnings: warnings.reduce<Record<string, number>>((m, w) => ((m[w] = (m[w] ?? 0) + 1), m), {}),
    articles,
    stories,
    links,
    roundups,
    articleOfItem,
    joinMethods,
    labels,
    apiStories: items.map((x) => ({ id: Number(x.id), eventAt: x.eventAt })),
    apiPages: pages,
    durationMs: Date.now() - started,
  };
}

// ------------------------------------------------------------------------------------------------ figures

export interface StoryRef {
  storyId: number;
  headline: string;
  titles: string[];
}

export interface ReplayFigures {
  db: string;
  snapshots: number;
  items: number;
  passes: number;
  fetches: ReplayData['fetches'];
  warnings: Record<string, number>;
  articles: number;
  /** Articles classified on the beat or adjacent that are in no story and no roundup after the last pass. */
  unplacedArticles: number;
  stories: number;
  multiOutletStories: number;
  onBeatStories: number;
  links: number;
  roundups: number;
  join: {
    feedLabels: number;
    joined: number;
    /** Labels whose title_sha1 matches none of the item's title spellings: skipped. */
    sha1Mismatches: { key: string; title: string }[];
    /** Labels whose key names no item of the snapshots (missing file or index): skipped. */
    missingItems: string[];
    /** Joined labels whose item has no stored article found. */
    noArticle: string[];
    methods: Record<string, number>;
  };
  onBeat: {
    labelled: number;
    classifiedOnBeat: number;
    classifiedAdjacent: number;
    /** Labelled on the beat, classified off: not placed (the classifier's concern; reported, not failed). */
    classifiedOff: { key: string; title: string }[];
    placed: number;
    roundups: { key: string; title: string }[];
    /** Classified on or adjacent, no roundup, and still in no story. */
    unplaced: { key: string; title: string }[];
    /** Labelled on the beat with no event id: in no event, so outside the held and mixed checks. */
    noEvent: number;
  };
  events: {
    /** Labelled events with ≥ 2 on-beat labelled articles. */
    multi: number;
    /** Of those, events whose on-beat articles were all placed into stories. */
    fullyPlaced: number;
    /** Events with ≥ 2 placed on-beat articles: the ones the held check counts (on their placed articles). */
    checked: number;
    held: number;
    heldByLinks: number;
    violations: { event: string; articles: number; fragments: StoryRef[] }[];
  };
  mixed: { storyId: number; headline: string; events: Record<string, string[]> }[];
  headline: { checked: number; violations: { storyId: number; headline: string; onBeatTitles: string[]; headlineRelevance: string | null }[] };
  order: { items: number; pages: number; ok: boolean; violations: { index: number; prev: string; cur: string; id: number }[]; duplicates: number[] };
  durationMs: number;
}

export function computeFigures(d: ReplayData): ReplayFigures {
  const itemByKey = new Map(d.snapshots.flatMap((s) => s.items.map((i) => [i.key, i] as const)));
  const articleById = new Map(d.articles.map((a) => [a.id, a]));
  const storyById = new Map(d.stories.map((s) => [s.id, s]));
  const members = new Map<number, ArticleRow[]>();
  for (const a of d.articles) if (a.story_id !== null) members.set(a.story_id, [...(members.get(a.story_id) ?? []), a]);
  const live = (a: ArticleRow) => a.story_id !== null && storyById.has(a.story_id);

  // Join the labels of the feed snapshots, checking each title's SHA-1.
  const feedLabels = d.labels.filter((l) => /^[a-z0-9-]+#\d+$/.test(l.key));
  const sha1Mismatches: ReplayFigures['join']['sha1Mismatches'] = [];
  const missingItems: string[] = [];
  const noArticle: string[] = [];
  const joined: { label: Label; item: SnapshotItem; article: ArticleRow | null }[] = [];
  for (const l of feedLabels) {
    const it = itemByKey.get(l.key);
    if (!it) {
      missingItems.push(l.key);
      continue;
    }
    if (!it.titleCandidates.some((t) => sha1(titleKey(t)) === l.title_sha1)) {
      sha1Mismatches.push({ key: l.key, title: it.title });
      continue;
    }
    const id = d.articleOfItem.get(l.key) ?? null;
    const article = id === null ? null : (articleById.get(id) ?? null);
    if (!article) noArticle.push(l.key);
    joined.push({ label: l, item: it, article });
  }

  const onBeat = joined.filter((j) => j.label.relevance === 'on_beat');
  const ref = (j: (typeof joined)[number]) => ({ key: j.label.key, title: j.item.title });
  const classifiedOff = onBeat.filter((j) => j.article?.relevance === 'off_beat').map(ref);
  const roundupArticles = onBeat.filter((j) => j.article?.is_roundup).map(ref);
  const unplaced = onBeat
    .filter((j) => j.article && j.article.relevance !== 'off_beat' && !j.article.is_roundup && !live(j.article))
    .map(ref);
  const placedOnBeat = onBeat.filter((j) => j.article && live(j.article));

  const storyRef = (id: number): StoryRef => ({
    storyId: id,
    headline: storyById.get(id)?.headline ?? '?',
    titles: (members.get(id) ?? []).map((a) => `[${a.relevance ?? '-'}] ${a.title}`),
  });

  // Events: held when all their placed on-beat articles share a story, or their stories are linked
  // (story_links, either direction, possibly through other stories of the storyline).
  const adj = new Map<number, Set<number>>();
  const edge = (a: number, b: number) => adj.set(a, (adj.get(a) ?? new Set()).add(b));
  for (const l of d.links) {
    edge(l.story_id, l.related_id);
    edge(l.related_id, l.story_id);
  }
  const connected = (ids: number[]) => {
    const seen = new Set([ids[0]!]);
    const todo = [ids[0]!];
    while (todo.length) for (const n of adj.get(todo.pop()!) ?? []) if (!seen.has(n)) seen.add(n), todo.push(n);
    return ids.every((i) => seen.has(i));
  };
  const byEvent = new Map<string, typeof onBeat>();
  for (const j of onBeat) if (j.label.event) byEvent.set(j.label.event, [...(byEvent.get(j.label.event) ?? []), j]);
  const events: ReplayFigures['events'] = { multi: 0, fullyPlaced: 0, checked: 0, held: 0, heldByLinks: 0, violations: [] };
  for (const [event, js] of [...byEvent].sort(([a], [b]) => a.localeCompare(b))) {
    const distinct = new Set(js.map((j) => j.article?.id ?? j.label.key));
    if (distinct.size < 2) continue;
    events.multi++;
    const placed = js.filter((j) => j.article && live(j.article));
    if (placed.length === js.length) events.fullyPlaced++;
    const placedIds = new Set(placed.map((j) => j.article!.id));
    if (placedIds.size < 2) continue;
    events.checked++;
    const fragments = [...new Set(placed.map((j) => j.article!.story_id!))];
    if (fragments.length === 1) events.held++;
    else if (connected(fragments)) {
      events.held++;
      events.heldByLinks++;
    } else events.violations.push({ event, articles: placedIds.size, fragments: fragments.map(storyRef) });
  }

  // Mixed: one story holding on-beat labelled articles of two events.
  const eventsOfStory = new Map<number, Map<string, string[]>>();
  for (const j of placedOnBeat) {
    if (!j.label.event) continue;
    const m = eventsOfStory.get(j.article!.story_id!) ?? new Map<string, string[]>();
    m.set(j.label.event, [...(m.get(j.label.event) ?? []), j.item.title]);
    eventsOfStory.set(j.article!.story_id!, m);
  }
  const mixed = [...eventsOfStory]
    .filter(([, m]) => m.size > 1)
    .map(([id, m]) => ({ storyId: id, headline: storyById.get(id)?.headline ?? '?', events: Object.fromEntries(m) }));

  // Headline: an on-beat story is headed by the title of one of its on-beat articles.
  const onBeatStories = d.stories.filter((s) => s.relevance === 'on_beat');
  const headlineViolations: ReplayFigures['headline']['violations'] = [];
  for (const s of onBeatStories) {
    const m = members.get(s.id) ?? [];
    const onBeatTitles = m.filter((a) => a.relevance === 'on_beat').map((a) => a.title);
    if (!onBeatTitles.includes(s.headline)) {
      headlineViolations.push({ storyId: s.id, headline: s.headline, onBeatTitles, headlineRelevance: m.find((a) => a.title === s.headline)?.relevance ?? null });
    }
  }

  // Order: the API pages newest event first.
  const orderViolations: ReplayFigures['order']['violations'] = [];
  d.apiStories.forEach((x, i) => {
    const prev = d.apiStories[i - 1];
    if (prev && Date.parse(x.eventAt) > Date.parse(prev.eventAt)) orderViolations.push({ index: i, prev: prev.eventAt, cur: x.eventAt, id: x.id });
  });
  // A story listed twice across pages (a cursor bug) would hide another one.
  const listed = new Set<number>();
  const duplicates = d.apiStories.filter((x) => listed.size === listed.add(x.id).size).map((x) => x.id);

  return {
    db: d.dbKind,
    snapshots: d.snapshots.length,
    items: d.snapshots.reduce((n, s) => n + s.items.length, 0),
    passes: d.passes,
    fetches: d.fetches,
    warnings: d.warnings,
    articles: d.articles.length,
    unplacedArticles: d.articles.filter((a) => a.relevance !== 'off_beat' && !a.is_roundup && !live(a)).length,
    stories: d.stories.length,
    multiOutletStories: d.stories.filter((s) => s.outlet_count >= 2).length,
    onBeatStories: onBeatStories.length,
    links: d.links.length,
    roundups: d.roundups.length,
    join: { feedLabels: feedLabels.length, joined: joined.length, sha1Mismatches, missingItems, noArticle, methods: d.joinMethods },
    onBeat: {
      labelled: onBeat.length,
      classifiedOnBeat: onBeat.filter((j) => j.article?.relevance === 'on_beat').length,
      classifiedAdjacent: onBeat.filter((j) => j.article?.relevance === 'adjacent').length,
      classifiedOff,
      placed: placedOnBeat.length,
      roundups: roundupArticles,
      unplaced,
      noEvent: onBeat.filter((j) => !j.label.event).length,
    },
    events,
    mixed,
    headline: { checked: onBeatStories.length, violations: headlineViolations },
    order: { items: d.apiStories.length, pages: d.apiPages, ok: orderViolations.length === 0 && duplicates.length === 0, violations: orderViolations, duplicates },
    durationMs: d.durationMs,
  };
}

/** One line, comparable between runs. */
export function summaryLine(f: ReplayFigures): string {
  return (
    `snapshot-replay ${f.db}: ${f.snapshots} snapshots / ${f.items} items in ${f.passes} passes → ${f.articles} articles, ${f.stories} stories ` +
    `(${f.onBeatStories} on beat, ${f.multiOutletStories} with ≥2 outlets, ${f.links} link rows, ${f.roundups} roundup rows), ` +
    `${f.unplacedArticles} clusterable articles unplaced, ${Object.values(f.warnings).reduce((a, b) => a + b, 0)} warnings; ` +
    `labels joined ${f.join.joined}/${f.join.feedLabels} (sha1 mismatch ${f.join.sha1Mismatches.length}, no article ${f.join.noArticle.length}); ` +
    `on-beat labelled ${f.onBeat.labelled} (${f.onBeat.noEvent} without event): classified off ${f.onBeat.classifiedOff.length}, placed ${f.onBeat.placed}, roundups ${f.onBeat.roundups.length}; ` +
    `events held ${f.events.held}/${f.events.checked} (multi ${f.events.multi}, fully placed ${f.events.fullyPlaced}, by links ${f.events.heldByLinks}); ` +
    `mixed stories ${f.mixed.length}; headline violations ${f.headline.violations.length}/${f.headline.checked}; ` +
    `order ${f.order.ok ? 'ok' : `${f.order.violations.length} inversions, ${f.order.duplicates.length} repeated`} (${f.order.items} items, ${f.order.pages} pages); ${(f.durationMs / 1000).toFixed(1)} s`
  );
}

/** The figures as a JSON object without the long lists (counts only), for the last line of the evaluation. */
export function figuresJson(f: ReplayFigures): Record<string, unknown> {
  return {
    db: f.db,
    snapshots: f.snapshots,
    items: f.items,
    passes: f.passes,
    fetchErrors: f.fetches.error,
    warnings: Object.values(f.warnings).reduce((a, b) => a + b, 0),
    articles: f.articles,
    unplacedArticles: f.unplacedArticles,
    stories: f.stories,
    onBeatStories: f.onBeatStories,
    multiOutletStories: f.multiOutletStories,
    links: f.links,
    roundups: f.roundups,
    labelsFeed: f.join.feedLabels,
    labelsJoined: f.join.joined,
    sha1Mismatches: f.join.sha1Mismatches.length,
    labelsMissingItem: f.join.missingItems.length,
    labelsNoArticle: f.join.noArticle.length,
    onBeatLabelled: f.onBeat.labelled,
    onBeatClassifiedOnBeat: f.onBeat.classifiedOnBeat,
    onBeatClassifiedAdjacent: f.onBeat.classifiedAdjacent,
    onBeatClassifiedOff: f.onBeat.classifiedOff.length,
    onBeatPlaced: f.onBeat.placed,
    onBeatUnplaced: f.onBeat.unplaced.length,
    onBeatRoundups: f.onBeat.roundups.length,
    onBeatNoEvent: f.onBeat.noEvent,
    eventsMulti: f.events.multi,
    eventsFullyPlaced: f.events.fullyPlaced,
    eventsChecked: f.events.checked,
    eventsHeld: f.events.held,
    eventsHeldByLinks: f.events.heldByLinks,
    mixedStories: f.mixed.length,
    headlineChecked: f.headline.checked,
    headlineViolations: f.headline.violations.length,
    orderOk: f.order.ok,
    orderInversions: f.order.violations.length,
    orderRepeated: f.order.duplicates.length,
    orderItems: f.order.items,
    durationMs: f.durationMs,
  };
}

/** Replays the snapshots into `t` and computes the figures. */
export async function runSnapshotReplay(t: TestDb, kind: string, corpus: { feedsDir: string; labelsFile: string }): Promise<{ data: ReplayData; figures: ReplayFigures }> {
  const data = await replaySnapshots(t, kind, corpus);
  return { data, figures: computeFigures(data) };
}
