// A private, throw-away PostgreSQL cluster that a test may stop (even -m immediate) and restart without
// touching the shared server on 5432. initdb refuses to run as root, so the cluster belongs to the postgres
// OS user (runuser). Unavailable (no binaries, no runuser, not root): `privatePgUnavailable()` says why.
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/net.js';

function pgBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, 'bin/initdb')) && existsSync(path.join(root, v, 'bin/pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0]!, 'bin') : null;
}

function runuserPath(): string | null {
  for (const p of ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser']) if (existsSync(p)) return p;
  return null;
}

function postgresUid(): { uid: number; gid: number } | null {
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  return r.status === 0 && g.status === 0 ? { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) } : null;
}

/** Null when a private cluster can be made here, else the reason it cannot. */
export function privatePgUnavailable(): string | null {
  if (!pgBinDir()) return 'no PostgreSQL binaries under /usr/lib/postgresql/*/bin';
  if (!runuserPath()) return 'runuser not found';
  if (process.getuid?.() !== 0) return 'not root (runuser -u postgres needs root)';
  if (!postgresUid()) return 'no postgres OS user';
  return null;
}

export interface PrivatePg {
  port: number;
  url: string;
  /** pg_ctl start -w (waits until it accepts connections). */
  start(): void;
  /** pg_ctl stop -m <mode>: "immediate" is a crash (no checkpoint; recovery from WAL at the next start). */
  stop(mode?: 'smart' | 'fast' | 'immediate'): void;
  destroy(): void;
}

export async function createPrivatePg(): Promise<PrivatePg> {
  const bin = pgBinDir()!;
  const runuser = runuserPath()!;
  const owner = postgresUid()!;
  const base = mkdtempSync(path.join(os.tmpdir(), 'frontera-pg-'));
  chownSync(base, owner.uid, owner.gid);
  const data = path.join(base, 'data');
  const log = path.join(base, 'server.log');
  const asPostgres = (cmd: string, args: string[]) =>
    execFileSync(runuser, ['-u', 'postgres', '--', path.join(bin, cmd), ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const opts = `-p ${port} -k ${base} -c listen_addresses=127.0.0.1 -c max_connections=60 -c log_lock_waits=on`;
  let running = false;
  const pg: PrivatePg = {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start() {
      asPostgres('pg_ctl', ['-D', data, '-o', opts, '-l', log, '-w', '-t', '60', 'start']);
      running = true;
    },
    stop(mode = 'fast') {
      asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
      running = false;
    },
    destroy() {
      try {
        if (running) pg.stop('immediate');
      } catch {}
      rmSync(base, { recursive: true, force: true });
    },
  };
  return pg;
}
