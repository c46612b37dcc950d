// `npm run build`: compiles src/, db/, jobs/ and api/ to dist/ (tsc, tsconfig.build.json) and copies the files the
// code reads next to itself at run time (rules and gazetteers, default sources, static assets, the boot file of the
// reader threads), so every `import.meta.url`-relative path resolves from dist/ as it does from the sources.
// `--if-stale` (prestart and friends): does nothing when dist/ was built from sources no older than they are now.
// Plain JavaScript on purpose: it runs before anything is compiled, and without tsx (a dev dependency).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOTS = ['src', 'db', 'jobs', 'api'];
/** Files outside ROOTS whose change changes the output. */
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package.json', 'scripts/build.mjs'];
const STAMP = '.build-stamp.json';
const COMPILED = /\.tsx?$/;

/** The newest modification time among the sources: files and directories (a deleted or renamed file changes its directory's). */
export function newestSourceMtime(root) {
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    newest = Math.max(newest, st.mtimeMs);
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
  };
  for (const r of ROOTS) visit(path.join(root, r));
  for (const f of CONFIG_FILES) visit(path.join(root, f));
  return newest;
}

/** Why dist/ must be rebuilt, or null when it is up to date. An install without the sources (an image) is up to date. */
export function staleReason(root) {
  if (!fs.existsSync(path.join(root, 'src'))) return null;
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(root, 'dist', STAMP), 'utf8'));
  } catch {
    return 'dist/ is missing';
  }
  return newestSourceMtime(root) > stamp.sourcesMtimeMs ? 'dist/ is older than the sources' : null;
}

/** Copies every file of ROOTS that tsc does not compile (JSON, .mjs, CSS, SVG, JS served to browsers…). */
export function copyAssets(root, outDir) {
  let copied = 0;
  const visit = (rel) => {
    const from = path.join(root, rel);
    if (fs.statSync(from).isDirectory()) {
      for (const name of fs.readdirSync(from)) visit(path.join(rel, name));
    } else if (!COMPILED.test(rel)) {
      fs.mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
      fs.copyFileSync(from, path.join(outDir, rel));
      copied++;
    }
  };
  for (const r of ROOTS) if (fs.existsSync(path.join(root, r))) visit(r);
  return copied;
}

/**
 * Compiles into a directory of its own, then puts it in place of dist/: a process started meanwhile never
 * sees half a build, and two builds at once (two `npm start`) each finish with a whole dist/.
 */
export function build(root) {
  // Sources saved while tsc runs are newer than this, so the next start compiles again.
  const sourcesMtimeMs = newestSourceMtime(root);
  const tmp = path.join(root, `dist.tmp-${process.pid}`);
  fs.rmSync(tmp, { recursive: true, force: true });
  let tsc;
  try {
    tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    throw new Error('cannot build dist/: TypeScript is not installed (it is a dev dependency: run `npm install` without --omit=dev)');
  }
  const started = Date.now();
  const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', tmp], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new Error(`tsc failed (exit ${r.status ?? r.signal}): dist/ left as it was`);
  }
  const assets = copyAssets(root, tmp);
  fs.writeFileSync(path.join(tmp, STAMP), JSON.stringify({ sourcesMtimeMs, builtAt: new Date().toISOString() }) + '\n');
  const dist = path.join(root, 'dist');
  const old = path.join(root, `dist.old-${process.pid}`);
  try {
    fs.renameSync(dist, old);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  try {
    fs.renameSync(tmp, dist);
  } catch (e) {
    // Another build put its dist/ in place between the two renames: as fresh as this one.
    if (e.code !== 'ENOTEMPTY' && e.code !== 'EEXIST') throw e;
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  fs.rmSync(old, { recursive: true, force: true });
  return { ms: Date.now() - started, assets };
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  try {
    const why = process.argv.includes('--if-stale') ? staleReason(root) : 'npm run build';
    if (why) {
      if (process.argv.includes('--if-stale')) process.stderr.write(`building dist/ (${why}) …\n`);
      const { ms, assets } = build(root);
      process.stderr.write(`built dist/ in ${(ms / 1000).toFixed(1)} s (${assets} assets copied)\n`);
    }
  } catch (e) {
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
