// `npm run start:api`: the HTTP API alone (no scheduler).
import { loadConfig } from '../src/config.js';
import { createDeps } from '../src/deps.js';
import { startApi } from './server.js';

const config = loadConfig();
const deps = await createDeps(config);
const close = await startApi(deps);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  deps.logger.info({ event: 'shutdown', signal });
  await close();
  await deps.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
