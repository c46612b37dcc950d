// Where the repo and the shared corpus are. The corpus is optional: benches fall back to synthetic text.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function corpusDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = env.CORPUS_DIR ?? path.resolve(repoRoot, '../shared/corpus');
  return existsSync(dir) ? dir : null;
}
