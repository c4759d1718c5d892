/**
 * `npm run api:fuzz` inside `npm test`: Portman's collection (contract tests and fuzzed variations,
 * plus the wrong-type variations of tools/api-fuzz/wrong-types.ts) run by Newman against a cluster
 * of every app, as a player, as a game server and without credentials. Any 5xx, undocumented
 * status, accepted fuzzed request, body off its schema or wrong-type field a permitted caller got
 * past validation fails it; the failures are printed grouped by route.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { startCluster, TEST_ADMIN_KEY, type TestCluster } from '@trustno1/testing';
import { fuzzGateway, type FuzzOutcome } from './api-fuzz';

describe('api:fuzz (Portman + Newman against the gateway)', () => {
  let cluster: TestCluster;
  let outcome: FuzzOutcome;
  const lines: string[] = [];

  beforeAll(async () => {
    cluster = await startCluster([
      'accounts',
      'world',
      'inventory',
      'combat',
      'market',
      'factions',
      'seasons',
      'gateway',
    ]);
    outcome = await fuzzGateway(cluster.url, TEST_ADMIN_KEY, { log: (line) => lines.push(line) });
    process.stdout.write(`${lines.join('\n')}\n`);
  });

  afterAll(() => cluster?.stop());

  it('generated contract tests and fuzzed variations for every route', () => {
    assert.ok(outcome.generatedRequests >= 300, `only ${outcome.generatedRequests} requests`);
    assert.ok(outcome.variations >= 250, `only ${outcome.variations} variations`);
    // tools/api-fuzz/wrong-types.ts: a field of the wrong JSON type, in each body and typed query.
    assert.ok(outcome.wrongTypes >= 60, `only ${outcome.wrongTypes} wrong-type variations`);
  });

  it.each(['player', 'server', 'nobody'] as const)(
    'as %s: every response documented, no 5xx, every body on its schema',
    (who) => {
      const report = outcome.reports.find((r) => r.principal === who);
      assert.ok(report, who);
      assert.equal(report.result.requests, outcome.generatedRequests);
      assert.ok(report.result.assertions > 0);
      assert.deepEqual(report.result.failures, [], lines.join('\n'));
    },
  );

  it('reached the handlers: the server run got past authorization and validation somewhere', () => {
    const server = outcome.reports.find((r) => r.principal === 'server')!.result.statuses;
    const successes = Object.entries(server).filter(([status]) => status.startsWith('2'));
    assert.ok(successes.reduce((sum, [, n]) => sum + n, 0) >= 5, JSON.stringify(server));
  });
});
