import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type ApiDeps } from './app.js';

const DRAIN_TIMEOUT_MS = 10_000;

/**
 * Listens on config.host:config.port. The returned function stops accepting connections and drains:
 * it resolves once every in-flight handler has finished (a client that hung up does not end its
 * handler, so handlers are counted, not sockets), or after DRAIN_TIMEOUT_MS — only then may the
 * caller close the database.
 */
export async function startApi(deps: ApiDeps): Promise<() => Promise<void>> {
  const app = createApp(deps);
  let inflight = 0;
  let drained: (() => void) | null = null;
  const done = () => {
    if (--inflight === 0) drained?.();
  };
  // A request answered at once (the liveness probe) comes back as a Response, not a promise: handed on as it is,
  // @hono/node-server writes it in the same tick, and there is nothing to drain.
  const fetch = (req: Request, env: unknown): Response | Promise<Response> => {
    const res = app.fetch(req, env as Record<string, unknown>);
    if (!(res instanceof Promise)) return res;
    inflight++;
    return res.finally(done);
  };
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch, hostname: deps.config.host, port: deps.config.port }, () => resolve(s));
    s.once('error', reject);
  });
  const http = server as Server;
  const addr = http.address() as AddressInfo | null;
  deps.logger.info({ event: 'api_listening', host: deps.config.host, port: addr?.port ?? deps.config.port, url: deps.config.publicBaseUrl });

  let closing: Promise<void> | null = null;
  return () =>
    (closing ??= (async () => {
      let done = false;
      const closed = new Promise<void>((r) => http.close(() => r())).then(() => (done = true));
      const deadline = Date.now() + DRAIN_TIMEOUT_MS;
      const handlersDone = inflight === 0 ? Promise.resolve() : new Promise<void>((r) => (drained = r));
      await Promise.race([handlersDone, new Promise<void>((r) => setTimeout(r, DRAIN_TIMEOUT_MS).unref())]);
      // Keep-alive sockets become idle once their last response is written: close them as they do.
      while (!done && Date.now() < deadline) {
        http.closeIdleConnections();
        await Promise.race([closed, new Promise((r) => setTimeout(r, 50))]);
      }
      http.closeAllConnections();
      await closed;
      deps.logger.info({ event: 'api_closed', inflight });
    })());
}
