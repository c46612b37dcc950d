import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// A worker thread started from TypeScript sources has to load a TypeScript loader (tsx) and then resolve,
// transform and compile each of its modules: ≈ 0.3 s and ≈ 25 MB more than the same code as one ES module
// (measured on the reader thread: 315 → 185 ms to ready, 74 → 50 MB). So the thread's code is bundled once
// with esbuild (a dependency of tsx already) into node_modules/.cache/frontera, and rebuilt whenever one of
// its source files changes (size or mtime), so a thread never runs older code than its process.
// Packages stay external: the bundle imports the very modules the process loads (rss-parser is patched at
// load time through its module instance). Each source keeps its own import.meta.url (rewritten to its
// file's URL), so what it reads or requires relative to itself resolves as it does unbundled.

const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const CACHE_DIR = path.join(projectRoot, 'node_modules', '.cache', 'frontera');

interface Manifest {
  entry: string;
  node: string;
  esbuild: string;
  /** Every bundled source file (project-relative) with the size and mtime it was bundled at. */
  inputs: Record<string, { size: number; mtimeMs: number }>;
}

async function upToDate(manifestFile: string, bundle: string, entry: string, esbuildVersion: string): Promise<boolean> {
  try {
    const m = JSON.parse(await readFile(manifestFile, 'utf8')) as Manifest;
    if (m.entry !== entry || m.node !== process.version || m.esbuild !== esbuildVersion) return false;
    await stat(bundle);
    const checks = await Promise.all(
      Object.entries(m.inputs).map(async ([file, was]) => {
        const s = await stat(path.join(projectRoot, file));
        return s.size === was.size && s.mtimeMs === was.mtimeMs;
      }),
    );
    return checks.every(Boolean);
  } catch {
    return false;
  }
}

/**
 * The file URL of an up-to-date ES-module bundle of `entryFile` (a .ts file of this project), built now if
 * any of its sources changed since the last build; null when it cannot be had here (no esbuild, read-only
 * node_modules, a build error): the caller then loads the sources through tsx, as before.
 */
export async function workerBundle(entryFile: string, onError: (message: string) => void = () => {}): Promise<string | null> {
  try {
    const esbuild = await import('esbuild');
    const entry = path.relative(projectRoot, entryFile);
    const name = entry.replace(/\.ts$/, '').replaceAll(/[\\/]/g, '_');
    const bundle = path.join(CACHE_DIR, `${name}.mjs`);
    const manifestFile = path.join(CACHE_DIR, `${name}.json`);
    if (await upToDate(manifestFile, bundle, entry, esbuild.version)) return pathToFileURL(bundle).href;

    await mkdir(CACHE_DIR, { recursive: true });
    // Stat the sources before reading them: a file saved during the build is then seen as changed next time.
    const before = new Map<string, { size: number; mtimeMs: number }>();
    const r = await esbuild.build({
      entryPoints: [entryFile],
      absWorkingDir: projectRoot,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      packages: 'external',
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'input-stats',
          setup(b) {
            const record = async (file: string) => {
              const s = await stat(file);
              before.set(path.relative(projectRoot, file), { size: s.size, mtimeMs: s.mtimeMs });
            };
            // Each module keeps its own import.meta.url: files it reads next to itself (rules, lexicons) and
            // the packages it requires resolve as they do unbundled.
            b.onLoad({ filter: /\.ts$/ }, async (args) => {
              await record(args.path);
              const code = await readFile(args.path, 'utf8');
              return { contents: code.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader: 'ts' };
            });
            b.onLoad({ filter: /.*/ }, async (args) => {
              await record(args.path);
              return undefined;
            });
          },
        },
      ],
    });
    const inputs: Manifest['inputs'] = {};
    for (const file of Object.keys(r.metafile.inputs)) {
      const s = before.get(file);
      if (!s) throw new Error(`no size and time recorded for ${file}`);
      inputs[file] = s;
    }
    await replaceFile(bundle, r.outputFiles[0]!.contents);
    const manifest: Manifest = { entry, node: process.version, esbuild: esbuild.version, inputs };
    await replaceFile(manifestFile, JSON.stringify(manifest));
    return pathToFileURL(bundle).href;
  } catch (e) {
    onError(e instanceof Error ? e.message : String(e));
    return null;
  }
}

/** Several processes may build at once: each writes a temporary file of its own, then renames it (atomic). */
async function replaceFile(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}
