import fs from 'node:fs';
import type { Context } from 'hono';
import { newRouter } from '../context.js';
import { securityHeaders } from '../pages/security-headers.js';

// The interactive reference: a static page whose script (no inline script, no CDN) renders /openapi.json.

const file = (name: string) => fs.readFileSync(new URL(`../docs/${name}`, import.meta.url), 'utf8');
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

export function docsRoutes() {
  const html = file('index.html');
  const js = file('app.js');
  const css = file('app.css');
  const app = newRouter();
  const headers = securityHeaders(POLICY);
  const serve = (body: string, type: string) => (c: Context) => {
    c.header('Content-Type', type);
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(body, 200);
  };
  app.get('/docs', headers, serve(html, 'text/html; charset=utf-8'));
  app.get('/docs/app.js', headers, serve(js, 'text/javascript; charset=utf-8'));
  app.get('/docs/app.css', headers, serve(css, 'text/css; charset=utf-8'));
  return app;
}
