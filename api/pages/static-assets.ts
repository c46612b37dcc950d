import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Context } from 'hono';
import { newRouter } from '../context.js';

// The reader pages' assets, read once at start-up. Pages link them as /static/<file>?v=<hash>: a
// request carrying the current hash is immutable for a year (a new deploy changes the hash, so
// browsers fetch the new file); any other request gets a short max-age. The strong ETag is the
// content hash, so revalidation is a 304.

interface Asset {
  body: Uint8Array;
  type: string;
  hash: string;
}

const FILES: Record<string, string> = {
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
  'editor.js': 'text/javascript; charset=utf-8',
};

function load(name: string, type: string): Asset {
  const body = new Uint8Array(fs.readFileSync(new URL(`../static/${name}`, import.meta.url)));
  return { body, type, hash: crypto.createHash('sha256').update(body).digest('base64url').slice(0, 16) };
}

export interface StaticAssets {
  /** The versioned URL of an asset, e.g. "/static/app.css?v=…". */
  href(name: keyof typeof FILES & string): string;
}

export function staticAssets() {
  const assets = new Map(Object.entries(FILES).map(([name, type]) => [name, load(name, type)]));
  const app = newRouter();
  app.get('/static/:file', (c: Context) => {
    const a = assets.get(c.req.param('file') ?? '');
    if (!a) return c.notFound();
    c.header('Content-Type', a.type);
    c.header('ETag', `"${a.hash}"`);
    c.header('Cache-Control', c.req.query('v') === a.hash ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    return c.body(a.body as Uint8Array<ArrayBuffer>, 200);
  });
  const href = (name: string) => `/static/${name}?v=${assets.get(name)!.hash}`;
  return { routes: app, assets: { href } as StaticAssets };
}
