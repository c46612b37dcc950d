// Preload (`node --import tsx --import ./bench/lib/report-rss.ts entry.ts`, or its compiled copy before a dist/
// entry: child.ts runAppChild): when the process exits, write
// its peak RSS (getrusage ru_maxrss, kB) to $BENCH_RSS_FILE. Lets a bench measure an unmodified entry point
// such as jobs/run.ts. Sampled RSS misses short peaks; ru_maxrss does not.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.once('exit', () => {
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, maxRssKb: process.resourceUsage().maxRSS }));
    } catch {}
  });
}
