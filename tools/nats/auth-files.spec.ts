import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from '@jest/globals';
import { NATS_AUTH_FILES } from './auth-files';

describe('generated NATS authorization files', () => {
  for (const file of NATS_AUTH_FILES) {
    it(`${file.path} is up to date (npm run nats:config)`, () => {
      const current = readFileSync(join(__dirname, '..', '..', file.path), 'utf8');
      assert.equal(current, file.render(), `${file.path} is stale: run npm run nats:config`);
    });
  }
});
