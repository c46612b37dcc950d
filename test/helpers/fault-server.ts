// A hostile feed server on 127.0.0.1: each path is one fault a feed fetcher meets in the wild (or from an
// attacker). Every fault is produced for real on the socket — a hang, a drip, a TCP reset, a 50 MB stream,
// compression bombs, entity-expansion and external-entity documents — so the fetcher's timeouts, byte caps
// and parser settings are exercised end to end, not mocked.
import type http from 'node:http';
import zlib from 'node:zlib';
import { rss, startFeedServer, type FeedServer, type TestItem } from './feed-server.js';

export const FAULTS = [
  'hang', // accepts, never answers
  'drip', // headers, then one byte per second forever
  'reset', // TCP reset before any response
  'reset-mid-body', // headers and half a feed, then a reset
  'status-500',
  'status-503-retry-after', // Retry-After: 120 (delta-seconds)
  'status-429', // Retry-After as an HTTP date
  'redirect-loop', // /a → /b → /a …
  'huge-chunked', // 50 MB, chunked, no Content-Length
  'huge-declared', // 50 MB with Content-Length
  'gzip-bomb', // 50 MB of spaces in ~50 KB of gzip
  'brotli-bomb', // 50 MB in ~90 bytes of brotli
  'billion-laughs', // XML entity expansion
  'xxe', // external entity: file:///etc/passwd
  'xxe-parameter', // external parameter entity pulling a DTD from a URL
  'invalid-utf8', // declared UTF-8, bytes that are not
  'html-page', // a web page, not a feed, served as RSS
  'empty-200',
  'whitespace-200',
  'deep-nesting', // 100k nested elements
  'ten-thousand-items',
] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultServer extends FeedServer {
  /** URL of one fault. */
  fault(name: Fault): string;
  /** Bytes the server managed to write per path (a capped client stops reading long before 50 MB). */
  bytesWritten: Map<string, number>;
}

const MB = 1024 * 1024;
export const HUGE_BYTES = 50 * MB;
export const TEN_K = 10_000;

let bombs: { gzip: Buffer; brotli: Buffer } | null = null;
function compressionBombs() {
  // Built once per process (the gzip takes ~0.3 s).
  if (!bombs) {
    const spaces = Buffer.alloc(HUGE_BYTES, 0x20);
    bombs = {
      gzip: zlib.gzipSync(spaces),
      brotli: zlib.brotliCompressSync(spaces, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }),
    };
  }
  return bombs;
}

/**
 * Builds the compression bombs now, in the calling process, and returns the milliseconds it took (0 once built).
 * Otherwise the first request for a bomb builds them inside the server's handler: a synchronous gzip and brotli
 * of 50 MB (0.3 s on an idle machine, 1.8 s measured at load 13) that stalls the server's process, so a fetch made
 * from that same process with a short timeout (hostile-feeds: 1.5 s) times out instead of hitting the byte cap.
 */
export function prepareCompressionBombs(): number {
  const started = performance.now();
  compressionBombs();
  return performance.now() - started;
}

export const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Laughs &lol9;</title><link>https://example.com/</link><description>x</description>
<item><guid isPermaLink="false">laugh-1</guid><title>Laugh &lol9;</title><link>https://example.com/laugh</link><description>&lol9;</description></item>
</channel></rss>`;

export const XXE = `<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<rss version="2.0"><channel><title>XXE</title><link>https://example.com/</link><description>x</description>
<item><guid isPermaLink="false">xxe-1</guid><title>Read &xxe;</title><link>https://example.com/xxe</link><description>leak: &xxe;</description></item>
</channel></rss>`;

export function xxeParameter(dtdUrl: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY % remote SYSTEM "${dtdUrl}"> %remote; ]>
<rss version="2.0"><channel><title>XXE2</title><link>https://example.com/</link><description>x</description>
<item><guid isPermaLink="false">xxe-2</guid><title>Param entity</title><link>https://example.com/xxe2</link><description>&exfil;</description></item>
</channel></rss>`;
}

export function tenThousandItems(n = TEN_K): string {
  const items: TestItem[] = Array.from({ length: n }, (_, i) => ({
    guid: `bulk-${i}`,
    title: `Bulk item ${i}`,
    link: `https://bulk.example/items/${i}`,
    description: `Item number ${i} of a feed that never prunes.`,
  }));
  return rss('Ten thousand', items);
}

const RSS_TYPE = { 'content-type': 'application/rss+xml; charset=utf-8' };

/** Streams `total` bytes in 64 KB chunks, honouring back-pressure, and stops when the client goes away. */
function streamBytes(res: http.ServerResponse, total: number, count: (n: number) => void): void {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  chunk.write('<rss version="2.0"><channel><title>huge</title>');
  let sent = 0;
  let closed = false;
  res.on('close', () => (closed = true));
  const pump = () => {
    while (!closed && sent < total) {
      const n = Math.min(chunk.length, total - sent);
      sent += n;
      count(n);
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
        res.once('drain', pump);
        return;
      }
    }
    if (!closed) res.end();
  };
  pump();
}

export async function startFaultServer(): Promise<FaultServer> {
  const srv = await startFeedServer();
  const bytesWritten = new Map<string, number>();
  const counter = (p: string) => (n: number) => bytesWritten.set(p, (bytesWritten.get(p) ?? 0) + n);
  const timers = new Set<NodeJS.Timeout>();
  const p = (f: Fault) => `/fault/${f}`;

  srv.route(p('hang'), () => new Promise<void>(() => {}));
  srv.route(p('drip'), (_q, res) => {
    res.writeHead(200, RSS_TYPE);
    const body = rss('Drip', [{ guid: 'd', title: 'Drip' }]);
    let i = 0;
    const t = setInterval(() => {
      if (res.destroyed || i >= body.length) {
        clearInterval(t);
        timers.delete(t);
        return;
      }
      res.write(body[i++]!);
      counter(p('drip'))(1);
    }, 1000);
    timers.add(t);
    res.on('close', () => {
      clearInterval(t);
      timers.delete(t);
    });
  });
  srv.route(p('reset'), (req) => void req.socket.resetAndDestroy());
  srv.route(p('reset-mid-body'), (req, res) => {
    const body = tenThousandItems(200);
    res.writeHead(200, { ...RSS_TYPE, 'content-length': String(Buffer.byteLength(body)) });
    res.write(body.slice(0, body.length >> 1), () => setTimeout(() => req.socket.resetAndDestroy(), 20));
  });
  srv.route(p('status-500'), (_q, res) => void res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error'));
  srv.route(p('status-503-retry-after'), (_q, res) => void res.writeHead(503, { 'retry-after': '120' }).end('maintenance'));
  srv.route(p('status-429'), (_q, res) =>
    void res.writeHead(429, { 'retry-after': new Date(Date.now() + 2 * 3600_000).toUTCString() }).end('slow down'),
  );
  srv.route(p('redirect-loop'), (_q, res) => void res.writeHead(302, { location: `${p('redirect-loop')}-b` }).end());
  srv.route(`${p('redirect-loop')}-b`, (_q, res) => void res.writeHead(307, { location: p('redirect-loop') }).end());
  srv.route(p('huge-chunked'), (_q, res) => {
    res.writeHead(200, RSS_TYPE);
    streamBytes(res, HUGE_BYTES, counter(p('huge-chunked')));
  });
  srv.route(p('huge-declared'), (_q, res) => {
    res.writeHead(200, { ...RSS_TYPE, 'content-length': String(HUGE_BYTES) });
    streamBytes(res, HUGE_BYTES, counter(p('huge-declared')));
  });
  srv.route(p('gzip-bomb'), (_q, res) => void res.writeHead(200, { ...RSS_TYPE, 'content-encoding': 'gzip' }).end(compressionBombs().gzip));
  srv.route(p('brotli-bomb'), (_q, res) => void res.writeHead(200, { ...RSS_TYPE, 'content-encoding': 'br' }).end(compressionBombs().brotli));
  srv.route(p('billion-laughs'), (_q, res) => void res.writeHead(200, RSS_TYPE).end(BILLION_LAUGHS));
  srv.route(p('xxe'), (_q, res) => void res.writeHead(200, RSS_TYPE).end(XXE));
  srv.route(p('xxe-parameter'), (_q, res) => void res.writeHead(200, RSS_TYPE).end(xxeParameter(srv.url('/fault/evil.dtd'))));
  srv.route('/fault/evil.dtd', (_q, res) =>
    void res.writeHead(200, { 'content-type': 'application/xml-dtd' }).end('<!ENTITY exfil SYSTEM "file:///etc/passwd">'),
  );
  srv.route(p('invalid-utf8'), (_q, res) => {
    const head = Buffer.from(rss('Bad bytes', [{ guid: 'u1', title: 'TITLE', link: 'https://example.com/u1', description: 'DESC' }]));
    // Overlong encodings, lone continuation bytes, a truncated sequence, 0xFF/0xFE, an encoded surrogate.
    const garbage = Buffer.from([0xc0, 0xaf, 0x80, 0xbf, 0xe2, 0x82, 0xff, 0xfe, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80]);
    const at = head.indexOf('TITLE');
    const body = Buffer.concat([head.subarray(0, at), Buffer.from('Caf'), garbage, head.subarray(at + 5)]);
    res.writeHead(200, RSS_TYPE).end(body);
  });
  srv.route(p('html-page'), (_q, res) =>
    void res.writeHead(200, RSS_TYPE).end('<html><head><title>Home</title></head><body><h1>Welcome</h1><p>No feed here.</p></body></html>'),
  );
  srv.route(p('empty-200'), (_q, res) => void res.writeHead(200, RSS_TYPE).end());
  srv.route(p('whitespace-200'), (_q, res) => void res.writeHead(200, RSS_TYPE).end('\n\n   \r\n\t'));
  srv.route(p('deep-nesting'), (_q, res) => {
    const depth = 100_000;
    const body = `<?xml version="1.0"?><rss version="2.0"><channel><title>Deep</title><item><guid>deep</guid><title>Deep</title><x>${'<y>'.repeat(depth)}${'</y>'.repeat(depth)}</x></item></channel></rss>`;
    res.writeHead(200, RSS_TYPE).end(body);
  });
  let tenK: string | null = null;
  srv.route(p('ten-thousand-items'), (_q, res) => void res.writeHead(200, RSS_TYPE).end((tenK ??= tenThousandItems())));

  return {
    ...srv,
    fault: (f) => srv.url(p(f)),
    bytesWritten,
    close: async () => {
      for (const t of timers) clearInterval(t);
      await srv.close();
    },
  };
}
