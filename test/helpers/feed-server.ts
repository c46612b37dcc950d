import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface FeedServer {
  url(path: string): string;
  /** Requests received per path (query included). */
  hits: Map<string, number>;
  route(path: string, handler: Handler): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with per-path handlers that a test can swap. */
export async function startFeedServer(): Promise<FeedServer> {
  const routes = new Map<string, Handler>();
  const hits = new Map<string, number>();
  const server = http.createServer(async (req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const h = routes.get(path);
    if (!h) {
      res.writeHead(404).end('not found');
      return;
    }
    try {
      await h(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (p) => `http://127.0.0.1:${port}${p}`,
    hits,
    route: (p, h) => routes.set(p, h),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface TestItem {
  guid?: string;
  title: string;
  link?: string;
  description?: string;
  pubDate?: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function rss(title: string, items: TestItem[], extra = ''): string {
  const body = items
    .map(
      (i) => `<item>
  ${i.guid ? `<guid isPermaLink="false">${esc(i.guid)}</guid>` : ''}
  <title>${esc(i.title)}</title>
  ${i.link ? `<link>${esc(i.link)}</link>` : ''}
  <description>${esc(i.description ?? '')}</description>
  <pubDate>${i.pubDate ?? 'Tue, 24 Nov 2026 10:00:00 GMT'}</pubDate>
</item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${esc(title)}</title><link>https://example.com/</link><description>test</description>${extra}
${body}
</channel></rss>`;
}

/** A handler serving a body with an ETag, answering 304 to a matching If-None-Match. */
export function withEtag(getBody: () => { body: string; etag: string; headers?: Record<string, string> }): Handler {
  return (req, res) => {
    const { body, etag, headers } = getBody();
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, ...headers }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag, ...headers }).end(body);
  };
}
