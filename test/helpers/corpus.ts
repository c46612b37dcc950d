// Locates the shared, read-only corpus. Tests and benches skip (not fail) when it is absent so the suite
// runs on machines without /work/shared.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function corpusDir(): string | null {
  const dir = process.env.CORPUS_DIR ?? path.resolve(repoRoot, '../shared/corpus');
  return existsSync(dir) ? dir : null;
}

export const CORPUS_MISSING_MESSAGE =
  'corpus not found: set CORPUS_DIR or provide ../shared/corpus next to the repo — corpus-based tests skipped';
