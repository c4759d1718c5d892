/**
 * Sealed queued calls (issue 12, `Prefer: respond-async`): what the gateway leaves on a Redis list
 * runs only as the principal it proved, only for the subject it was made for, and only while fresh;
 * any change to it, or a key the service does not hold, refuses it.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { Principal } from '@trustno1/contracts';
import { QueuedCallRefused, QueuedCallSeal } from './queued-call';

const KEY = { id: 'k1', secret: Buffer.from('queued-call-spec-key-one') };
const OTHER = { id: 'k2', secret: Buffer.from('queued-call-spec-key-two') };
const SERVER: Principal = { kind: 'server', serverId: '11111111-1111-4111-8111-111111111111', region: 'eu' };
const SUBJECT = 'combat.hits.apply.v1';

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof QueuedCallRefused, String(error));
    return error.reason;
  }
  assert.fail('the call was not refused');
}

describe('QueuedCallSeal', () => {
  let clock = 1_000_000;
  const seal = new QueuedCallSeal([KEY], { maxAgeMs: 60_000, now: () => clock });

  it('opens what it sealed: the principal, the payload, the subject and an id', () => {
    const text = seal.seal(SUBJECT, SERVER, { hits: [{ damage: 5 }] }, 'call-1');
    const call = seal.open(text, SUBJECT);
    assert.deepEqual(
      { id: call.id, subject: call.subject, at: call.at, principal: call.principal, payload: call.payload },
      { id: 'call-1', subject: SUBJECT, at: clock, principal: SERVER, payload: { hits: [{ damage: 5 }] } },
    );
  });

  it('refuses a changed payload, principal, id or time', () => {
    const text = seal.seal(SUBJECT, SERVER, { hits: [{ damage: 5 }] });
    const edit = (change: (call: Record<string, unknown>) => void) => {
      const call = JSON.parse(text) as Record<string, unknown>;
      change(call);
      return JSON.stringify(call);
    };
    assert.equal(
      refusal(() =>
        seal.open(
          edit((c) => (c.payload = { hits: [{ damage: 500 }] })),
          SUBJECT,
        ),
      ),
      'BAD_SEAL',
    );
    assert.equal(
      refusal(() =>
        seal.open(
          edit((c) => (c.principal = { kind: 'admin' })),
          SUBJECT,
        ),
      ),
      'BAD_SEAL',
    );
    assert.equal(
      refusal(() =>
        seal.open(
          edit((c) => (c.id = 'another')),
          SUBJECT,
        ),
      ),
      'BAD_SEAL',
    );
    assert.equal(
      refusal(() =>
        seal.open(
          edit((c) => (c.at = clock + 1)),
          SUBJECT,
        ),
      ),
      'BAD_SEAL',
    );
    assert.equal(
      refusal(() =>
        seal.open(
          edit((c) => (c.seal = 'k1.forged')),
          SUBJECT,
        ),
      ),
      'BAD_SEAL',
    );
  });

  it('refuses a call sealed with a key it does not hold, and accepts one of its older keys', () => {
    const foreign = new QueuedCallSeal([OTHER], { maxAgeMs: 60_000, now: () => clock });
    assert.equal(
      refusal(() => seal.open(foreign.seal(SUBJECT, SERVER, {}), SUBJECT)),
      'BAD_SEAL',
    );
    const rotated = new QueuedCallSeal([OTHER, KEY], { maxAgeMs: 60_000, now: () => clock });
    assert.equal(rotated.open(seal.seal(SUBJECT, SERVER, {}), SUBJECT).principal.kind, 'server');
  });

  it('refuses a call made for another subject', () => {
    assert.equal(
      refusal(() => seal.open(seal.seal('inventory.item.move.v1', SERVER, {}), SUBJECT)),
      'WRONG_SUBJECT',
    );
  });

  it('refuses a call older than maxAgeMs, and runs one just inside it', () => {
    const text = seal.seal(SUBJECT, SERVER, {});
    clock += 60_000;
    assert.equal(seal.open(text, SUBJECT).principal.kind, 'server');
    clock += 1;
    assert.equal(
      refusal(() => seal.open(text, SUBJECT)),
      'EXPIRED',
    );
  });

  it('refuses text that is not a sealed call, and a sealed principal of no known shape', () => {
    assert.equal(
      refusal(() => seal.open('not json', SUBJECT)),
      'MALFORMED',
    );
    assert.equal(
      refusal(() => seal.open('{"v":1}', SUBJECT)),
      'MALFORMED',
    );
    assert.equal(
      refusal(() =>
        seal.open(
          JSON.stringify({ v: 2, id: 'x', subject: SUBJECT, at: clock, principal: SERVER, seal: 'k1.x' }),
          SUBJECT,
        ),
      ),
      'MALFORMED',
    );
    const odd = seal.seal(SUBJECT, { kind: 'root' } as unknown as Principal, {});
    assert.equal(
      refusal(() => seal.open(odd, SUBJECT)),
      'MALFORMED',
    );
  });
});
