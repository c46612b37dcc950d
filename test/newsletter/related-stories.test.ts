// Issue 17: an event of the newsletter lists the events of the same storyline in the period ("Related: …").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { periodContaining } from '../../src/render/newsletter-period.js';
import { buildNewsletter, renderNewsletter } from '../../src/services/newsletter.js';
import { BASE, beatTopics } from '../api/api-helpers.js';
import { T0, seed, type Seeded } from '../api/seed.js';
import { createTestDb, dbKind, type TestDb } from '../helpers/db.js';

describe(`newsletter related stories (${dbKind})`, () => {
  let t: TestDb;
  let s: Seeded;
  beforeAll(async () => {
    t = await createTestDb();
    s = await seed(t.db);
  });
  afterAll(async () => t?.close());

  const build = () => buildNewsletter(t.db, beatTopics(), { slug: 'all', period: periodContaining('daily', T0), baseUrl: BASE, now: T0 });

  it('events linked by a storyline show "Related: <headline>" in every rendering, both ways', async () => {
    const m = await build();
    const events = m.sections.flatMap((x) => x.events);
    const ex = events.find((e) => e.storyId === s.stories['extradition'])!;
    const cu = events.find((e) => e.storyId === s.stories['culiacan'])!;
    expect(ex.related).toContainEqual({
      storyId: s.stories['culiacan'],
      headline: cu.headline,
      storyUrl: `${BASE}/stories/${s.stories['culiacan']}`,
    });
    expect(cu.related?.map((r) => r.storyId)).toContain(s.stories['extradition']);
    expect(renderNewsletter(m, 'text')).toContain(`Related: ${cu.headline}`);
    expect(renderNewsletter(m, 'md')).toContain(`Related: [${cu.headline.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1')}]`);
    expect(renderNewsletter(m, 'html')).toMatch(/Related:<\/span> <a [^>]*href="http:\/\/frontera\.test\/stories\/\d+"/);
  });

  it('a related story outside the period is not named; an event without links has no related field', async () => {
    // Move the Culiacán story's link target out of the period: link it to a story with no article in it.
    const old = await sql<{ id: number }>`
      INSERT INTO stories (headline, first_published_at, last_published_at, first_seen_at, last_updated_at, topics, relevance)
      VALUES ('Old storyline event', '2026-10-01', '2026-10-01', '2026-10-01', '2026-10-01', '{cartel-violence}', 'on_beat') RETURNING id`.execute(t.db);
    const oldId = old.rows[0]!.id;
    await sql`INSERT INTO story_links (story_id, related_id, kind, score, shared) VALUES
      (${s.stories['culiacan']}, ${oldId}, 'storyline', 1, '{a,b}'), (${oldId}, ${s.stories['culiacan']}, 'storyline', 1, '{a,b}')`.execute(t.db);
    const m = await build();
    const events = m.sections.flatMap((x) => x.events);
    const cu = events.find((e) => e.storyId === s.stories['culiacan'])!;
    expect(cu.related?.map((r) => r.storyId)).not.toContain(oldId);
    const fentanyl = events.find((e) => e.storyId === s.stories['fentanyl']);
    if (fentanyl) expect(fentanyl).not.toHaveProperty('related');
  });
});
