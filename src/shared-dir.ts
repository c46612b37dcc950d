// Where the shared read-only data lives (the dev labels and the corpus they join with): CORPUS_DIR/.. when
// CORPUS_DIR is set, else ../shared next to the repository (bench/shared-dir.ts re-exports it; the retrain job
// passes config.corpusDir, never process.env).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json above this file: the repository, whether this runs from src/ or dist/src/. */
export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from, '..');
  }
}

export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.CORPUS_DIR ? path.resolve(env.CORPUS_DIR, '..') : path.resolve(repoRoot, '../shared');
}

/** The shared dir if it holds the labels and corpus, else null (callers skip with a message). */
export function findSharedDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = sharedDir(env);
  return existsSync(path.join(dir, 'labels')) && existsSync(path.join(dir, 'corpus')) ? dir : null;
}

export const SHARED_MISSING_MESSAGE =
  'shared data not found (set CORPUS_DIR=/path/to/shared/corpus or place it at ../shared next to the repo): skipping';
