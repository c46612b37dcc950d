// CLI: tsx bench/feed-farm/main.ts --feeds 500 --items 50 --port 0 [--seed 1] [--latency 0] [--grow-every 0]
//      [--syndicated 0.1] [--hosts addresses|ports|single] [--content-bytes 0] [--urls-file PATH]
// Prints the feed URLs (one a line) to stdout, or to --urls-file, and serves until SIGINT/SIGTERM.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startFeedFarm } from './farm.js';

const { values: a } = parseArgs({
  options: {
    feeds: { type: 'string', default: '500' },
    items: { type: 'string', default: '50' },
    port: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    latency: { type: 'string', default: '0' },
    'grow-every': { type: 'string', default: '0' },
    syndicated: { type: 'string', default: '0.1' },
    hosts: { type: 'string' },
    'content-bytes': { type: 'string', default: '0' },
    'urls-file': { type: 'string' },
  },
});
const hosts = a.hosts as 'addresses' | 'ports' | 'single' | undefined;
if (hosts && !['addresses', 'ports', 'single'].includes(hosts)) {
  console.error('--hosts must be addresses, ports or single');
  process.exit(2);
}
const farm = await startFeedFarm({
  feeds: Number(a.feeds),
  itemsPerFeed: Number(a.items),
  port: Number(a.port),
  seed: Number(a.seed),
  latencyMs: Number(a.latency),
  growEvery: Number(a['grow-every']),
  syndicatedShare: Number(a.syndicated),
  contentBytes: Number(a['content-bytes']),
  ...(hosts ? { hosts } : {}),
});
if (a['urls-file']) writeFileSync(a['urls-file'], farm.urls.join('\n') + '\n');
else process.stdout.write(farm.urls.join('\n') + '\n');
process.stderr.write(`feed farm: ${farm.urls.length} feeds × ${a.items} items, hosts=${farm.hostMode}, first ${farm.urls[0]} (Ctrl-C to stop)\n`);
const stop = async () => {
  await farm.close();
  process.stderr.write(`feed farm: served ${farm.stats.requests} requests (${farm.stats.ok} × 200, ${farm.stats.notModified} × 304)\n`);
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
