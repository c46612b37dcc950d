// The yardstick of `npm run bench:api`: a bare Hono app on @hono/node-server with one route, GET /healthz →
// {"status":"ok"}, as the API's own /healthz answers. The bench measures it with the same autocannon settings in
// the same run and reports the app's /healthz ÷ this (`healthz_vs_bare`).
// Plain JavaScript run by plain node (no tsx loader), like the compiled API it is compared with.
// Listens on 127.0.0.1:$PORT; prints nothing.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error(`bare-hono: PORT must be a port number, got ${process.env.PORT ?? 'nothing'}`);

const app = new Hono();
app.get('/healthz', (c) => c.json({ status: 'ok' }));

serve({ fetch: app.fetch, hostname: '127.0.0.1', port });
process.on('SIGTERM', () => process.exit(0));
