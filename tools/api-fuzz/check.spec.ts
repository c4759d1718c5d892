/**
 * The judge of `npm run api:fuzz` on a recorded Newman report (fixtures/passing-report.json: two
 * requests of a real run as a game server) and on copies of it broken the ways a gateway can
 * break: each must be reported, grouped under its route.
 */
import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addOperationsTo } from '../../apps/gateway/src/operations/openapi';
import { GATEWAY_OPERATIONS } from '../../apps/gateway/src/operations/operations.module';
import { checkRun, renderSummary, type NewmanExecution } from './check';

const recorded = (): NewmanExecution[] =>
  (
    JSON.parse(readFileSync(join(__dirname, 'fixtures/passing-report.json'), 'utf8')) as {
      run: { executions: NewmanExecution[] };
    }
  ).run.executions;

function documentOfContracts(): Record<string, unknown> {
  const document = { openapi: '3.1.0', paths: {} as Record<string, Record<string, unknown>> };
  addOperationsTo(document, GATEWAY_OPERATIONS);
  return document;
}

const body = (value: unknown) => ({ type: 'Buffer' as const, data: [...Buffer.from(JSON.stringify(value))] });

describe('api-fuzz checker', () => {
  const document = documentOfContracts();

  it('passes the recorded run: a 200 matching its schema and a fuzzed variation refused with 400', () => {
    const result = checkRun(document, recorded());
    assert.deepEqual(result.failures, []);
    assert.equal(result.requests, 2);
    assert.equal(result.variations, 1);
    assert.ok(result.assertions > 0);
    assert.deepEqual(result.statuses, { 200: 1, 400: 1 });
  });

  it('reports a 5xx, an accepted fuzzed request, an undocumented status and a body off its schema', () => {
    const [ok, fuzz] = recorded();
    const serverError = structuredClone(ok);
    serverError.response = { ...serverError.response!, code: 500, stream: body({ oops: true }) };
    const accepted = structuredClone(fuzz);
    accepted.response = { ...accepted.response!, code: 204, stream: { type: 'Buffer', data: [] } };
    const undocumented = structuredClone(ok);
    undocumented.response = { ...undocumented.response!, code: 404 };
    const offSchema = structuredClone(ok);
    offSchema.response = { ...offSchema.response!, stream: body([{ id: 42 }]) };
    offSchema.assertions = [{ assertion: 'Schema is valid', error: { message: 'expected data to match' } }];
    const result = checkRun(document, [serverError, accepted, undocumented, offSchema]);
    const problems = result.failures.map((f) => `${f.route} [${f.status}] ${f.problem}`);
    assert.ok(
      problems.some((p) => /GET \/v1\/catalog\/structures \[500\] server error 500/.test(p)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => /PUT \/v1\/servers\/me\/status \[204\] a fuzzed request was accepted/.test(p)),
    );
    assert.ok(problems.some((p) => /\[404\] status 404 is not documented/.test(p)));
    assert.ok(problems.some((p) => /\[200\] the body does not match the 200 schema/.test(p)));
    assert.ok(problems.some((p) => /\[200\] assertion "Schema is valid"/.test(p)));
    const summary = renderSummary('recorded', result);
    assert.match(summary, /GET \/v1\/catalog\/structures: \d+/);
    assert.match(summary, /PUT \/v1\/servers\/me\/status: 1/);
  });

  it('reports a request that got no answer and one outside the document', () => {
    const [ok] = recorded();
    const noAnswer = { ...structuredClone(ok), response: undefined, requestError: { message: 'ECONNRESET' } };
    const unknown = structuredClone(ok);
    unknown.request = { method: 'GET', url: { path: ['v1', 'nowhere'] } };
    const result = checkRun(document, [noAnswer, unknown]);
    assert.deepEqual(
      result.failures.map((f) => f.problem),
      ['no response: ECONNRESET', 'the request matches no operation of the document'],
    );
  });
});
