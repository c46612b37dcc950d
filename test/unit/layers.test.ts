import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/spawn.js';

// The layer rules (.dependency-cruiser.cjs) run in `npm test` as `npm run check:deps`. These tests prove the check
// can fail: every rule fires on a fixture tree that breaks it, the allowed edges beside them pass, and the real
// run sees every source file (a resolver that silently drops files would otherwise pass everything).

const CRUISER = path.join(repoRoot, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const CONFIG = path.join(repoRoot, '.dependency-cruiser.cjs');
const LAYERS = ['src', 'db', 'api', 'jobs'];

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: unknown[];
}
interface CruiseResult {
  modules: Array<{ source: string }>;
  summary: { violations: Violation[]; error: number };
}

function depcruise(cwd: string, outputType: 'json' | 'err-long') {
  return spawnSync(process.execPath, [CRUISER, ...LAYERS, '--config', CONFIG, '--output-type', outputType], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
}

function cruise(cwd: string): CruiseResult {
  const r = depcruise(cwd, 'json');
  if (r.status !== 0 || !r.stdout) throw new Error(`depcruise failed (exit ${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as CruiseResult;
}

/** A tree shaped like the repository: each bad file breaks one rule, the others are edges the layers allow. */
const FIXTURE: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
  'db/client.ts': "import { Kysely } from 'kysely';\nexport type Db = Kysely<any>;\n",
  'db/schema.ts': 'export interface ItemTable { id: number }\n',
  'db/repositories/items.repository.ts':
    "import { sql } from 'kysely';\nimport type { Db } from '../client.js';\nimport type { Item } from '../../src/model/types.js';\n" +
    'export async function listItems(db: Db): Promise<Item[]> { return (await sql<Item>`SELECT 1`.execute(db)).rows; }\n',
  'db/repositories/bad.repository.ts': "import { listAll } from '../../src/services/items.js';\nexport const x = listAll;\n",
  'db/migrations/001-init.ts': "import type { ItemTable } from '../schema.js';\nexport type T = ItemTable;\n",
  'src/model/types.ts': 'export interface Item { id: number }\n',
  'src/model/typo.ts': "export { nothing } from './nowhere.js';\n",
  'src/reader/parse.ts': "import { normalize } from './normalize.js';\nexport const parse = (s: string) => normalize(s);\n",
  'src/reader/normalize.ts': "import type { parse } from './parse.js';\nexport const normalize = (s: string): ReturnType<typeof parse> => s;\n",
  'src/reader/leak.ts': "import { listItems } from '../../db/repositories/items.repository.js';\nexport const leak = listItems;\n",
  'src/render/html.ts': "import { html } from 'hono/html';\nexport const page = html`<p>x</p>`;\n",
  'src/runtime/limiter.ts': "import type { Item } from '../model/types.js';\nexport const limit = (x: Item) => x;\n",
  'src/runtime/pool.ts': "import { listAll } from '../services/items.js';\nexport const pool = listAll;\n",
  'src/services/items.ts':
    "import type { Db } from '../../db/client.js';\nimport { listItems } from '../../db/repositories/items.repository.js';\n" +
    "import { limit } from '../runtime/limiter.js';\nexport const listAll = async (db: Db) => (await listItems(db)).map(limit);\n",
  'src/services/query.ts':
    "import { sql } from 'kysely';\nimport { listItems } from '../../db/repositories/items.repository.js';\nexport const q = [sql`SELECT 1`, listItems];\n",
  'src/services/upward.ts':
    "import type { Ctx } from '../../api/context.js';\nimport { listItems } from '../../db/repositories/items.repository.js';\nexport const u = (c: Ctx) => listItems(c.db);\n",
  'src/services/helpers.ts': "import type { Item } from '../model/types.js';\nexport const ids = (xs: Item[]) => xs.map((x) => x.id);\n",
  'src/deps.ts': "import type { Db } from '../db/client.js';\nimport { listAll } from './services/items.js';\nexport interface Deps { db: Db; list: typeof listAll }\n",
  'api/context.ts': "import type { Deps } from '../src/deps.js';\nexport interface Ctx { db: Deps['db'] }\n",
  'api/server.ts': "import type { Ctx } from './context.js';\nexport const start = (c: Ctx) => c;\n",
  'api/routes/items.routes.ts': "import { listAll } from '../../src/services/items.js';\nimport type { Ctx } from '../context.js';\nexport const get = (c: Ctx) => listAll(c.db);\n",
  'api/routes/shortcut.routes.ts': "import { listItems } from '../../db/repositories/items.repository.js';\nexport const get = listItems;\n",
  'api/routes/threads.routes.ts': "import { limit } from '../../src/runtime/limiter.js';\nexport const get = limit;\n",
  'jobs/items.job.ts': "import { listAll } from '../src/services/items.js';\nexport const job = listAll;\n",
  'jobs/registry.ts': "import { job } from './items.job.js';\nexport const jobs = { items: job };\n",
  'jobs/main.ts': "import { start } from '../api/server.js';\nimport { jobs } from './registry.js';\nexport const main = [start, jobs];\n",
  'src/cli/main.ts': "import { jobs } from '../../jobs/registry.js';\nexport const cli = jobs;\n",
};

/** [rule, importer, imported]: exactly what the check must report on the fixture. */
const EXPECTED: Array<[string, string, string]> = [
  // A circle is reported once, at the edge that closes it.
  ['no-circular', 'src/reader/normalize.ts', 'src/reader/parse.ts'],
  ['pure-domain-stays-pure', 'src/reader/leak.ts', 'db/repositories/items.repository.ts'],
  ['pure-domain-no-frameworks', 'src/render/html.ts', 'hono'],
  ['not-to-unresolvable', 'src/model/typo.ts', './nowhere.js'],
  ['runtime-only-pure', 'src/runtime/pool.ts', 'src/services/items.ts'],
  ['db-drivers-only-in-db', 'src/services/query.ts', 'kysely'],
  ['services-below-entry-points', 'src/services/upward.ts', 'api/context.ts'],
  ['services-reach-the-database', 'src/services/helpers.ts', 'src/services/helpers.ts'],
  ['repositories-are-sql-only', 'db/repositories/bad.repository.ts', 'src/services/items.ts'],
  ['db-below-services', 'db/repositories/bad.repository.ts', 'src/services/items.ts'],
  ['migrations-are-frozen', 'db/migrations/001-init.ts', 'db/schema.ts'],
  ['entry-points-through-services', 'api/routes/shortcut.routes.ts', 'db/repositories/items.repository.ts'],
  ['entry-points-through-services', 'api/routes/threads.routes.ts', 'src/runtime/limiter.ts'],
  ['entry-points-apart', 'src/cli/main.ts', 'jobs/registry.ts'],
];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('layer rules (.dependency-cruiser.cjs)', () => {
  it('report every broken rule on a fixture tree, and nothing on the edges the layers allow', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-layers-'));
    dirs.push(dir);
    for (const [file, text] of Object.entries(FIXTURE)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    // The packages (kysely, hono) resolve as they do in the repository.
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir');

    const result = cruise(dir);
    const npmName = (to: string) => to.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//)?.[1] ?? to;
    const got = result.summary.violations.map((v) => [v.rule.name, v.from, npmName(v.to)] as [string, string, string]);
    const key = (v: [string, string, string]) => v.join(' | ');
    expect(new Set(got.map(key))).toEqual(new Set(EXPECTED.map(key)));
    // Every violation is an error, and the reporter `npm run check:deps` uses exits non-zero on them.
    expect(result.summary.error).toBe(got.length);
    // `npm run check:deps` prints each rule's comment (err-long): the violator reads what to do instead.
    const err = depcruise(dir, 'err-long');
    expect(err.status).not.toBe(0);
    expect(err.stdout.replace(/\s+/g, ' ')).toContain('api/, jobs/ and the CLI reach the database through a service');
  });

  it('pass on the repository, having seen every source file of every layer', () => {
    const result = cruise(repoRoot);
    const cruised = new Set(result.modules.map((m) => m.source));
    const sources = LAYERS.flatMap((d) => walk(path.join(repoRoot, d))).map((f) => path.relative(repoRoot, f).split(path.sep).join('/'));
    expect(sources.length).toBeGreaterThan(200);
    expect(sources.filter((f) => !cruised.has(f))).toEqual([]);
    const violations = result.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`);
    expect(violations).toEqual([]);
  });

  it('find no query builder outside db/ (the database handle reaches services without an import of kysely)', () => {
    const builder = /\.(selectFrom|selectNoFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\s*\(/;
    const files = ['src', 'api', 'jobs'].flatMap((d) => walk(path.join(repoRoot, d)));
    expect(files.length).toBeGreaterThan(150);
    const offenders = files.filter((f) => builder.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(repoRoot, f));
    expect(offenders, 'move these queries into a function in db/repositories/<table>.repository.ts').toEqual([]);
  });
});

/** TypeScript and JavaScript sources under `dir` (what the check cruises). */
function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return walk(p);
    return /\.(ts|tsx|mts|mjs|cjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}
