// Imported first by every entry point: `.env` of the current directory fills in variables the environment
// lacks (the real environment wins), before src/config.ts validates them. A missing file is not an error.
import fs from 'node:fs';
import path from 'node:path';

/**
 * The subset of the dotenv format that .env.example uses: KEY=VALUE lines, `#` comments, blank lines, an
 * optional `export ` prefix, values in single or double quotes (double quotes understand \n). Written here
 * rather than process.loadEnvFile because that appeared in Node 20.12 and the engines field allows 20.11.
 */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!m) continue;
    let value = m[2]!;
    const q = value[0];
    if ((q === '"' || q === "'") && value.length >= 2 && value.endsWith(q)) {
      value = value.slice(1, -1);
      if (q === '"') value = value.replace(/\\n/g, '\n');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    out[m[1]!] = value;
  }
  return out;
}

/** Sets each variable of `file` that `env` does not already hold; returns the names it set. */
export function loadEnvFile(file = path.resolve('.env'), env: NodeJS.ProcessEnv = process.env): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const set: string[] = [];
  for (const [k, v] of Object.entries(parseEnvFile(text))) {
    if (env[k] !== undefined) continue;
    env[k] = v;
    set.push(k);
  }
  return set;
}

loadEnvFile();
