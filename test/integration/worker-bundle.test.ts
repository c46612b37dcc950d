import { mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { workerBundle } from '../../src/services/worker-bundle.js';
import { repoRoot } from '../helpers/spawn.js';

// The reader thread's code is bundled from the TypeScript sources and rebuilt when they change: a thread must
// never run older code than its process, and files read relative to a module must resolve as unbundled.

const dir = path.join(repoRoot, 'test/out', `worker-bundle-${process.pid}`);
const entry = path.join(dir, 'entry.ts');
const dep = path.join(dir, 'lib', 'dep.ts');

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function runBundle(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL(url));
    w.once('message', (m) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

describe('workerBundle', () => {
  write(path.join(dir, 'lib', 'data.txt'), 'next to dep.ts');
  write(dep, `import { readFileSync } from 'node:fs';
export const version: number = 1;
export const data = readFileSync(new URL('./data.txt', import.meta.url), 'utf8');
export const here = import.meta.url;
`);
  write(entry, `import { parentPort } from 'node:worker_threads';
import { data, here, version } from './lib/dep.js';
parentPort!.postMessage({ version, data, here });
`);
  const built = new Set<string>();
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const file of built) for (const f of [file, file.replace(/\.mjs$/, '.json')]) rmSync(f, { force: true });
  });

  it('bundles a TypeScript entry into one module that runs without a loader, each module keeping its own location', async () => {
    const url = await workerBundle(entry);
    expect(url).toMatch(/^file:.*node_modules\/\.cache\/frontera\/.*\.mjs$/);
    built.add(fileURLToPath(url!));
    expect(await runBundle(url!)).toEqual({ version: 1, data: 'next to dep.ts', here: new URL(`file://${dep}`).href });
  });

  it('reuses the bundle while its sources are unchanged, and rebuilds it when one changes', async () => {
    const url = (await workerBundle(entry))!;
    const builtAt = statSync(fileURLToPath(url)).mtimeMs;
    expect(await workerBundle(entry)).toBe(url);
    expect(statSync(fileURLToPath(url)).mtimeMs).toBe(builtAt); // not rewritten

    write(dep, `import { readFileSync } from 'node:fs';
export const version: number = 2;
export const data = readFileSync(new URL('./data.txt', import.meta.url), 'utf8');
export const here = import.meta.url;
`);
    // Same size as before would still differ in mtime; make sure the clock moved on for coarse filesystems.
    const later = new Date(Date.now() + 2000);
    utimesSync(dep, later, later);
    expect(await workerBundle(entry)).toBe(url);
    expect(await runBundle(url)).toMatchObject({ version: 2 });
  });

  it('reports why and returns null when the entry cannot be bundled (the pool then loads the sources)', async () => {
    write(path.join(dir, 'broken.ts'), `import { missing } from './nowhere.js';\nexport const x = missing;\n`);
    const errors: string[] = [];
    expect(await workerBundle(path.join(dir, 'broken.ts'), (m) => errors.push(m))).toBeNull();
    expect(errors.join('\n')).toMatch(/nowhere/);
  });
});
