// `npm run start:api`: the HTTP API alone (no scheduler).
import '../src/env-file.js';
import { loadConfig, type Config } from '../src/config.js';
import { createDeps, type Deps } from '../src/deps.js';
import { createLogger } from '../src/logger.js';
import { stopOnSignals } from '../src/signals.js';
import { exitOnStartupError } from '../src/startup-error.js';
import { startApi } from './server.js';

let config: Config | undefined;
let deps: Deps | undefined;
let close: () => Promise<void>;
try {
  config = loadConfig();
  deps = await createDeps(config, { logger: createLogger(config.logLevel, 1, config.logFormat) });
  close = await startApi(deps);
} catch (e) {
  await deps?.close().catch(() => {});
  exitOnStartupError(e, config);
}

stopOnSignals(async (signal) => {
  deps.logger.info({ event: 'shutdown', signal, message: 'finishing in-flight requests; send the signal again to exit at once' });
  await close();
  await deps.close();
});
