/** Issue 10: docs/api.md lists every route the gateway serves, generated from the same operations. */
import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GATEWAY_OPERATIONS } from './operations.module';
import {
  routeTableMarkdown,
  SERVICE_TABLE_BEGIN,
  SERVICE_TABLE_END,
  serviceTableMarkdown,
  withGenerated,
  withRouteTable,
} from './route-table';

const API_MD = resolve(__dirname, '../../../../docs/api.md');
const README = resolve(__dirname, '../../../../README.md');

describe('docs/api.md route table', () => {
  const document = readFileSync(API_MD, 'utf8');

  it('is the table the operations generate (npm run docs:api)', () => {
    assert.equal(withRouteTable(document, routeTableMarkdown(GATEWAY_OPERATIONS)), document);
  });

  it('names every route with its method, path and principals', () => {
    const routed = GATEWAY_OPERATIONS.filter((op) => op.http);
    assert.ok(routed.length > 50);
    for (const op of routed) {
      const line = document.split('\n').find((l) => l.startsWith(`| \`${op.http!.method} ${op.http!.path}`));
      assert.ok(line, `${op.http!.method} ${op.http!.path} is missing`);
      for (const kind of op.principals)
        assert.match(line, new RegExp(kind === 'anonymous' ? 'nobody' : kind));
    }
  });

  it('README says what works today, as the operations say it', () => {
    const readme = readFileSync(README, 'utf8');
    const table = serviceTableMarkdown(GATEWAY_OPERATIONS);
    assert.equal(withGenerated(readme, table, SERVICE_TABLE_BEGIN, SERVICE_TABLE_END), readme);
    assert.match(table, /\| inventory \| \d+ \|.*\| works \|/);
  });

  it('refuses a document without the markers', () => {
    assert.throws(() => withRouteTable('# no table', 'x'), /markers/);
  });
});
