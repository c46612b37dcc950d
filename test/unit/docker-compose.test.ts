// Issue 20, item 14: the production compose file publishes one fixed port, on a reverse proxy in front of the API
// replicas, and PUBLIC_BASE_URL (the base of every absolute link) names that port. Read from `docker-compose config`
// (the resolved model CI validates) when docker-compose is installed, else from the YAML with the defaults of its
// ${VAR:-default} substitutions applied.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const file = path.join(root, 'docker-compose.yml');

type Port = string | number | { published?: string | number; target?: string | number };
interface Service {
  image?: string;
  ports?: Port[];
  expose?: (string | number)[];
  environment?: Record<string, string> | string[];
  volumes?: (string | { source?: string; target?: string })[];
  depends_on?: Record<string, unknown> | string[];
}

function resolvedCompose(): { services: Record<string, Service>; via: string } {
  // Unset what the file substitutes, so the defaults are what is checked (as on a fresh checkout).
  const env = { ...process.env };
  for (const k of ['PUBLIC_BASE_URL', 'ADMIN_TOKEN']) delete env[k];
  const r = spawnSync('docker-compose', ['-f', file, 'config'], { cwd: root, env, encoding: 'utf8' });
  if (r.status === 0) return { services: (parse(r.stdout) as { services: Record<string, Service> }).services, via: 'docker-compose config' };
  const text = fs.readFileSync(file, 'utf8').replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
  return { services: (parse(text) as { services: Record<string, Service> }).services, via: 'the YAML' };
}

/** [published host port or null, container port] of a compose port entry, short or long syntax. */
function portPair(p: Port): [number | null, number] {
  if (typeof p === 'object') return [p.published === undefined ? null : Number(p.published), Number(p.target)];
  const parts = String(p).split(':');
  const target = Number(parts.at(-1)!.split('/')[0]);
  return [parts.length >= 2 ? Number(parts.at(-2)) : null, target];
}

function env(s: Service): Record<string, string> {
  if (Array.isArray(s.environment)) return Object.fromEntries(s.environment.map((e) => [e.split('=')[0]!, e.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));
}

describe('docker-compose.yml', () => {
  const { services, via } = resolvedCompose();

  it(`a reverse proxy publishes one fixed port (read through ${via})`, () => {
    const proxy = services['proxy'];
    expect(proxy, 'a proxy service').toBeDefined();
    expect(proxy!.image).toMatch(/^(caddy|nginx)(:|$)/);
    const published = (proxy!.ports ?? []).map(portPair);
    expect(published).toHaveLength(1);
    const [host, target] = published[0]!;
    expect(host, 'a fixed host port, not a random one').toEqual(expect.any(Number));
    expect(target).toBe(80);
    // Its configuration is in the repository and mounted where the image reads it.
    const mounts = (proxy!.volumes ?? []).map((v) => (typeof v === 'string' ? v : `${v.source}:${v.target}`));
    const caddyfile = mounts.find((m) => m.includes(':/etc/caddy/Caddyfile'));
    expect(caddyfile).toBeDefined();
    const source = path.resolve(root, caddyfile!.split(':')[0]!);
    expect(fs.existsSync(source), source).toBe(true);
    const conf = fs.readFileSync(source, 'utf8');
    expect(conf).toMatch(/^:80 \{/m);
    // Every replica of the api service, on the port the API listens on.
    expect(conf).toMatch(/dynamic a \{\s*name api\s*port 3000/);
    expect(env(services['api']!)['PORT']).toBe('3000');
  });

  it('the api service publishes no port (replicas are reached through the proxy)', () => {
    const api = services['api']!;
    expect(api.ports ?? []).toEqual([]);
    for (const [name, s] of Object.entries(services)) if (name !== 'proxy') expect(s.ports ?? [], name).toEqual([]);
    expect(env(api)['TRUST_PROXY']).toBe('true');
  });

  it('PUBLIC_BASE_URL names the published port', () => {
    const [host] = portPair(services['proxy']!.ports![0]!);
    const base = new URL(env(services['api']!)['PUBLIC_BASE_URL']!);
    expect(Number(base.port || (base.protocol === 'https:' ? 443 : 80))).toBe(host);
    expect(base.hostname).toBe('localhost');
  });
});
