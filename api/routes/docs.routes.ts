import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { escapeHtml as h } from '../../src/render/xml.js';
import { newRouter } from '../context.js';
import { securityHeaders } from '../pages/security-headers.js';

// The API reference: Swagger UI from the swagger-ui-dist package (served from node_modules by path, no CDN),
// started on /openapi.json by a small served script. Without JavaScript the page lists every operation of the
// same document, rendered here. Assets are linked with their content hash (?v=…): immutable for a year when
// the hash matches, and their strong ETag is that hash, so revalidation is a 304 without hashing the bundle.

// Swagger UI sets its inline styles through the DOM (CSSOM), which style-src 'self' allows; it fetches the
// document and "try it out" requests from this origin (connect-src), and its CSS images are data: URLs.
const POLICY = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  connectSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
};

const TYPES = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' } as const;

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  hash: string;
}

const require = createRequire(import.meta.url);
const SOURCES: Record<string, () => string | URL> = {
  'swagger-ui-bundle.js': () => require.resolve('swagger-ui-dist/swagger-ui-bundle.js'),
  'swagger-ui.css': () => require.resolve('swagger-ui-dist/swagger-ui.css'),
  'init.js': () => new URL('../docs/init.js', import.meta.url),
  'docs.css': () => new URL('../docs/docs.css', import.meta.url),
};

function load(name: string): Asset {
  const body = new Uint8Array(fs.readFileSync(SOURCES[name]!()));
  const type = TYPES[name.endsWith('.js') ? 'js' : 'css'];
  return { body, type, hash: crypto.createHash('sha256').update(body).digest('base64url').slice(0, 16) };
}

type OpenApiSource = Pick<OpenAPIHono, 'getOpenAPI31Document'>;

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete'] as const;

/** Summaries are Markdown; in the fallback only their `code` spans are rendered (the text is escaped first). */
const inlineCode = (escaped: string) => escaped.replace(/`([^`]+)`/g, '<code>$1</code>');

/** The operations of the document as HTML lists, one per tag (first tag of each operation). */
function operationsHtml(api: OpenApiSource): string {
  const doc = api.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'Frontera API', version: '1.0.0' } });
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'Other';
      const summary = op.summary ? ` — ${inlineCode(h(op.summary))}` : '';
      const li = `<li><span class="method">${method}</span> <code>${h(path)}</code>${summary}</li>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), li]);
    }
  }
  return [...byTag].map(([tag, lis]) => `<h2>${h(tag)}</h2>\n<ul>\n${lis.join('\n')}\n</ul>`).join('\n');
}

/**
 * `api` is the app this router is mounted in: its document is read on the first request, once every route is
 * registered.
 */
export function docsRoutes(api: OpenApiSource) {
  const assets = new Map<string, Asset>();
  const asset = (name: string) => {
    let a = assets.get(name);
    if (!a) assets.set(name, (a = load(name)));
    return a;
  };
  let page: string | null = null;
  const render = () =>
    fs
      .readFileSync(new URL('../docs/index.html', import.meta.url), 'utf8')
      .replace(/\{\{([a-z.-]+)\}\}/g, (_m, key: string) => (key === 'operations' ? operationsHtml(api) : `/docs/${key}?v=${asset(key).hash}`));

  const app = newRouter();
  const headers = securityHeaders(POLICY);
  app.get('/docs', headers, (c: Context) => {
    page ??= render();
    c.header('Content-Type', 'text/html; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(page, 200);
  });
  app.get('/docs/:file{[a-z-]+\\.(?:js|css)}', headers, (c: Context) => {
    const file = c.req.param('file') ?? '';
    if (!Object.hasOwn(SOURCES, file)) return c.notFound();
    const a = asset(file);
    c.header('Content-Type', a.type);
    c.header('ETag', `"${a.hash}"`);
    c.header('Cache-Control', c.req.query('v') === a.hash ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    return c.body(a.body, 200);
  });
  return app;
}
