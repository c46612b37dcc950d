import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyAssets, newestSourceMtime, staleReason } from '../../scripts/build.mjs';

// `npm start` builds dist/ only when it is missing or older than the sources (prestart: build.mjs --if-stale).
// A wrong answer either runs old code or compiles on every start.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-build-script-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(root: string, rel: string, text = ''): void {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
}

/** Sets a file's or directory's times `secondsAgo` in the past. */
function age(p: string, secondsAgo: number): void {
  const t = new Date(Date.now() - secondsAgo * 1000);
  fs.utimesSync(p, t, t);
}

/** A project whose sources are all an hour old, with dist/ built from them. */
function project(name: string): string {
  const root = path.join(tmp, name);
  write(root, 'package.json', '{}');
  write(root, 'src/a.ts', 'export const a = 1;');
  write(root, 'src/beat/rules/x.json', '{}');
  write(root, 'api/main.ts', '');
  for (const p of ['package.json', 'src/a.ts', 'src/beat/rules/x.json', 'src/beat/rules', 'src/beat', 'src', 'api/main.ts', 'api']) age(path.join(root, p), 3600);
  write(root, 'dist/.build-stamp.json', JSON.stringify({ sourcesMtimeMs: newestSourceMtime(root) }));
  return root;
}

describe('scripts/build.mjs: is dist/ stale?', () => {
  it('is up to date when built from the sources as they are', () => {
    expect(staleReason(project('fresh'))).toBeNull();
  });

  it('is stale without dist/, or after a source, an asset or a config file changed', () => {
    const missing = project('missing');
    fs.rmSync(path.join(missing, 'dist'), { recursive: true });
    expect(staleReason(missing)).toBe('dist/ is missing');
    for (const file of ['src/a.ts', 'src/beat/rules/x.json', 'package.json']) {
      const root = project(`edit-${file.replaceAll('/', '-')}`);
      write(root, file, 'changed');
      expect(staleReason(root), file).toBe('dist/ is older than the sources');
    }
  });

  it('is stale after a source was deleted or added (its directory changed)', () => {
    const deleted = project('deleted');
    fs.rmSync(path.join(deleted, 'src/a.ts'));
    expect(staleReason(deleted)).toBe('dist/ is older than the sources');
    const added = project('added');
    write(added, 'jobs/new.job.ts', '');
    expect(staleReason(added)).toBe('dist/ is older than the sources');
  });

  it('an install without the sources (the Docker image: dist/ only) never builds', () => {
    const root = path.join(tmp, 'image');
    write(root, 'package.json', '{}');
    write(root, 'dist/jobs/main.js', '');
    expect(staleReason(root)).toBeNull();
  });

  it('copies what tsc does not emit, with its path, and nothing it compiles', () => {
    const root = project('assets');
    write(root, 'src/runtime/boot.mjs', '');
    write(root, 'api/static/app.css', '');
    write(root, 'api/pages/page.tsx', '');
    const out = path.join(root, 'out');
    expect(copyAssets(root, out)).toBe(3);
    expect(fs.existsSync(path.join(out, 'src/beat/rules/x.json'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'src/runtime/boot.mjs'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'api/static/app.css'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'src/a.ts'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'api/pages/page.tsx'))).toBe(false);
  });
});
