import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrator.js';
import { dbKind } from '../helpers/db.js';
import { exitCode, spawnTs } from '../helpers/spawn.js';
import { seedNewsletter } from './fixture.js';
import { expectEmailSafe } from './helpers.js';

// `npm run cli -- newsletter …` in a real child process, on an embedded database seeded with the fixture.
describe.runIf(dbKind === 'pglite')('npm run cli -- newsletter (PGlite data dir)', () => {
  let dir: string;
  const cli = async (...args: string[]) => {
    const p = spawnTs('src/cli/main.ts', ['newsletter', ...args], {
      DATA_DIR: dir,
      DATABASE_URL: '',
      SEED_DEFAULT_SOURCES: 'false',
      PUBLIC_BASE_URL: 'https://frontera.example',
      LOG_LEVEL: 'warn',
    });
    const code = await exitCode(p);
    return { code, out: p.output() };
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-newsletter-'));
    const h = await openDb({ dataDir: dir });
    try {
      await migrateToLatest(h.db);
      await seedNewsletter(h.db);
    } finally {
      await h.close();
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the weekly HTML digest to --out', async () => {
    const out = path.join(dir, 'digest.html');
    const r = await cli('--topic', 'all', '--period', 'weekly', '--date', '2026-11-23', '--format', 'html', '--out', out);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/37 events, 79 articles \(Week 48 · 23–29 November 2026\)/);
    const html = fs.readFileSync(out, 'utf8');
    expectEmailSafe(html);
    expect(html).toContain('US weighs sending special forces and CIA officers into Mexico to strike cartels');
    expect(html).toMatch(/href="https:\/\/frontera\.example\/stories\/\d+"[^>]*>All coverage of this event/);
    expect(html).not.toContain('/v1/stories/');
  });

  it('prints text and Markdown to stdout, and explicit from/to periods', async () => {
    const text = await cli('--period', 'daily', '--date', '2026-11-23', '--format', 'text');
    expect(text.code, text.out).toBe(0);
    expect(text.out).toContain('FRONTERA DAILY BRIEF: ALL US–MEXICO SECURITY NEWS\nMonday 23 November 2026 (UTC)');
    const md = await cli('--topic', 'extradition-justice', '--from', '2026-11-24', '--to', '2026-11-26', '--format', 'md');
    expect(md.code, md.out).toBe(0);
    expect(md.out).toContain('# Frontera digest: Extraditions and US trials');
    expect(md.out).toContain('**24–26 November 2026** (UTC)');
  });

  it('rejects bad arguments with a clear message', async () => {
    const bad = await cli('--period', 'weekly', '--date', '2026-13-01');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('invalid_parameter');
    const fmt = await cli('--format', 'pdf');
    expect(fmt.code).toBe(1);
    expect(fmt.out).toContain('--format must be one of html, text, md, json');
  });
});
