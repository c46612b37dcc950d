// `npm run job -- NAME`: run one named job once, now, and exit.
import { loadConfig } from '../src/config.js';
import { createDeps } from '../src/deps.js';
import { jobs } from './registry.js';

const name = process.argv[2];
const job = name ? jobs[name] : undefined;
if (!job) {
  console.error(`usage: npm run job -- <name>\n\njobs:\n${Object.values(jobs).map((j) => `  ${j.name.padEnd(16)} ${j.description}`).join('\n')}`);
  process.exit(2);
}
const deps = await createDeps(loadConfig());
const controller = new AbortController();
process.once('SIGTERM', () => controller.abort());
process.once('SIGINT', () => controller.abort());
try {
  const result = await job.run(deps, {
    signal: controller.signal,
    progress: (done, total) => process.stderr.write(`\r${name}: ${done}/${total}`),
  });
  process.stderr.write('\n');
  console.log(JSON.stringify(result));
} finally {
  await deps.close();
}
