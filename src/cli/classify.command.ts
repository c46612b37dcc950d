import fs from 'node:fs';
import { loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { fetchFeed } from '../reader/fetch-feed.js';
import { readFeed } from '../reader/read-feed.js';
import { createBeat } from '../beat/beat.js';
import { classifyItem } from '../beat/classify-item.js';

/**
 * `npm run cli -- classify FILE|URL…`: try the beat rules on feeds without storing anything.
 * One JSON line per item on stdout; problems with one input go to stderr and the next input proceeds.
 */
export async function classifyCommand(inputs: string[]): Promise<number> {
  if (inputs.length === 0) {
    console.error('usage: npm run cli -- classify <feed file or URL>...');
    return 2;
  }
  const config = loadConfig();
  const beat = createBeat(config.beatRulesFile);
  const now = new Date();
  let failures = 0;
  for (const input of inputs) {
    try {
      const { bytes, contentType, feedUrl } = await load(input, config);
      const feed = await readFeed(bytes, { contentType, feedUrl, now });
      for (const item of feed.items) {
        const c = classifyItem(beat.classify, item);
        process.stdout.write(
          JSON.stringify({
            link: item.url,
            title: item.title,
            lang: item.lang,
            relevance: c.relevance,
            score: c.score,
            topics: c.topics,
            entities: c.entities,
            evidence: c.evidence,
          }) + '\n',
        );
      }
    } catch (e) {
      failures++;
      const msg = e instanceof AppError ? `${e.code}: ${e.message}` : (e as Error).message;
      console.error(`${input}: ${msg}`);
    }
  }
  // Any input that could not be read is a failure of the command (a script must not take it for success).
  if (failures) console.error(`${failures} of ${inputs.length} inputs failed`);
  return failures ? 1 : 0;
}

async function load(input: string, config: ReturnType<typeof loadConfig>) {
  if (/^https?:\/\//i.test(input)) {
    const res = await fetchFeed(input, { etag: null, lastModified: null }, config.fetch);
    if (res.kind !== 'ok') throw new Error(`unexpected ${res.status}`);
    return { bytes: res.body, contentType: res.contentType, feedUrl: res.finalUrl };
  }
  return { bytes: fs.readFileSync(input), contentType: null, feedUrl: `file://${fs.realpathSync(input)}` };
}
