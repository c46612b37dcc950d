// `npm run job -- NAME`: run one named job once, now, and exit.
import '../src/env-file.js';
import { loadConfig, type Config } from '../src/config.js';
import { createDeps, type Deps } from '../src/deps.js';
import { createLogger } from '../src/logger.js';
import { onSignals } from '../src/signals.js';
import { exitOnStartupError } from '../src/startup-error.js';
import { jobs } from './registry.js';

/**
 * Someone waiting at a terminal: an unreachable database is reported after seconds (≈ 8), not two minutes. A
 * little longer than the CLI's 5 s: a job run by a timer may start beside a database that is restarting.
 */
const INTERACTIVE_DB_WAIT_MS = 10_000;

const name = process.argv[2];
const job = name ? jobs[name] : undefined;
if (!job) {
  console.error(`usage: npm run job -- <name>\n\njobs:\n${Object.values(jobs).map((j) => `  ${j.name.padEnd(16)} ${j.description}`).join('\n')}`);
  process.exit(2);
}
let config: Config | undefined;
let deps: Deps;
try {
  config = loadConfig();
  deps = await createDeps(config, { logger: createLogger(config.logLevel, 1, config.logFormat), dbWaitMs: INTERACTIVE_DB_WAIT_MS });
} catch (e) {
  exitOnStartupError(e, config);
}
const controller = new AbortController();
// First signal: the job stops at its next checkpoint and the database is closed; second: exit at once.
onSignals(() => controller.abort());
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
