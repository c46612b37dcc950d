import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEnvFile, parseEnvFile } from '../../src/env-file.js';

describe('.env file', () => {
  it('parses the KEY=VALUE format of .env.example', () => {
    expect(
      parseEnvFile('# comment\n\nPORT=3000\nexport HOST=0.0.0.0\nREFRESH_CRON=* * * * *\nA="x y" \nB=\'z\'\nC=1 # trailing\nDATABASE_URL=\n  bad line\n'),
    ).toEqual({ PORT: '3000', HOST: '0.0.0.0', REFRESH_CRON: '* * * * *', A: 'x y', B: 'z', C: '1', DATABASE_URL: '' });
  });

  it('fills in only what the environment lacks; a missing file is no error', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'frontera-env-')), '.env');
    fs.writeFileSync(file, 'PORT=1\nHOST=h\n');
    const env: NodeJS.ProcessEnv = { PORT: '2' };
    expect(loadEnvFile(file, env)).toEqual(['HOST']);
    expect(env).toEqual({ PORT: '2', HOST: 'h' });
    expect(loadEnvFile(`${file}.missing`, env)).toEqual([]);
  });
});
