import fs from 'node:fs';
import type { Context } from 'hono';
import { newRouter } from '../context.js';

// The interactive reference: a static page whose script (no inline script, no CDN) renders /openapi.json.

const file = (name: string) => fs.readFileSync(new URL(`../docs/${name}`, import.meta.url), 'utf8');
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function docsRoutes() {
  const html = file('index.html');
  const js = file('app.js');
  const css = file('app.css');
  const app = newRouter();
  const serve = (body: string, type: string) => (c: Context) => {
    c.header('Content-Type', type);
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(body, 200);
  };
  app.get('/docs', serve(html, 'text/html; charset=utf-8'));
  app.get('/docs/app.js', serve(js, 'text/javascript; charset=utf-8'));
  app.get('/docs/app.css', serve(css, 'text/css; charset=utf-8'));
  return app;
}
