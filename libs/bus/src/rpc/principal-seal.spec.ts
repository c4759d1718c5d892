import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from '@jest/globals';
import { AppError, ErrorCode, type Principal } from '@trustno1/contracts';
import { DEVELOPMENT_SIGNING_KEYS, PrincipalSeal, type SigningKey } from './principal-seal';

const key = (id: string): SigningKey => ({ id, secret: randomBytes(32) });
const SERVER: Principal = {
  kind: 'server',
  serverId: '6f1c3f4e-8a37-4d6b-9a43-3c8f0a2b5d11',
  region: 'eu-west',
};
const SUBJECT = 'inventory.item.move.v1';

/** The reason an UNAUTHENTICATED refusal gives; fails the test on anything else. */
function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, ErrorCode.UNAUTHENTICATED);
    return (error.details as { reason: string }).reason;
  }
  assert.fail('expected the seal to be refused');
}

describe('PrincipalSeal', () => {
  it('accepts what it sealed, for that subject and request, and returns the principal', () => {
    const seal = new PrincipalSeal([key('k1')]);
    const sealed = seal.sign(SERVER, SUBJECT, 'req-1');
    assert.deepEqual(seal.verify(sealed.principal, sealed.seal, SUBJECT, 'req-1'), SERVER);
  });

  it('refuses a principal without a seal, and a seal made with another key', () => {
    const ours = new PrincipalSeal([key('k1')]);
    const forger = new PrincipalSeal([key('k1')]); // same id, other secret
    const forged = forger.sign({ kind: 'admin' }, SUBJECT, 'req-1');
    assert.equal(
      refusal(() => ours.verify('{"kind":"admin"}', undefined, SUBJECT, 'req-1')),
      'the principal is not sealed',
    );
    assert.equal(
      refusal(() => ours.verify(forged.principal, forged.seal, SUBJECT, 'req-1')),
      'bad seal',
    );
    const unknown = new PrincipalSeal([key('other')]).sign({ kind: 'admin' }, SUBJECT, 'req-1');
    assert.equal(
      refusal(() => ours.verify(unknown.principal, unknown.seal, SUBJECT, 'req-1')),
      'unknown signing key',
    );
  });

  it('refuses a seal re-targeted to another subject or request, or a widened principal', () => {
    const seal = new PrincipalSeal([key('k1')]);
    const sealed = seal.sign(SERVER, SUBJECT, 'req-1');
    assert.equal(
      refusal(() => seal.verify(sealed.principal, sealed.seal, 'inventory.corpse.cleanup.v1', 'req-1')),
      'bad seal',
    );
    assert.equal(
      refusal(() => seal.verify(sealed.principal, sealed.seal, SUBJECT, 'req-2')),
      'bad seal',
    );
    assert.equal(
      refusal(() => seal.verify('{"kind":"admin"}', sealed.seal, SUBJECT, 'req-1')),
      'bad seal',
    );
  });

  it('refuses a seal replayed within its window', () => {
    const seal = new PrincipalSeal([key('k1')]);
    const sealed = seal.sign(SERVER, SUBJECT, 'req-1');
    seal.verify(sealed.principal, sealed.seal, SUBJECT, 'req-1');
    assert.equal(
      refusal(() => seal.verify(sealed.principal, sealed.seal, SUBJECT, 'req-1')),
      'replayed seal',
    );
  });

  it('refuses a seal older than its window or from too far ahead', () => {
    let now = 1_000_000;
    const k = key('k1');
    const verifier = new PrincipalSeal([k], { maxAgeMs: 30_000, now: () => now });
    const signer = new PrincipalSeal([k], { now: () => now });
    const old = signer.sign(SERVER, SUBJECT, 'req-1');
    now += 30_001;
    assert.equal(
      refusal(() => verifier.verify(old.principal, old.seal, SUBJECT, 'req-1')),
      'expired seal',
    );
    const ahead = new PrincipalSeal([k], { now: () => now + 60_000 }).sign(SERVER, SUBJECT, 'req-2');
    assert.equal(
      refusal(() => verifier.verify(ahead.principal, ahead.seal, SUBJECT, 'req-2')),
      'expired seal',
    );
    const fresh = signer.sign(SERVER, SUBJECT, 'req-3');
    assert.deepEqual(verifier.verify(fresh.principal, fresh.seal, SUBJECT, 'req-3'), SERVER);
  });

  it('accepts both keys during a rotation, and signs with the first', () => {
    const oldKey = key('old');
    const newKey = key('new');
    const rotating = new PrincipalSeal([newKey, oldKey]);
    const byOld = new PrincipalSeal([oldKey]).sign(SERVER, SUBJECT, 'req-1');
    assert.deepEqual(rotating.verify(byOld.principal, byOld.seal, SUBJECT, 'req-1'), SERVER);
    const byRotating = rotating.sign(SERVER, SUBJECT, 'req-2');
    assert.match(byRotating.seal, /^v1\.new\./);
    assert.equal(
      refusal(() =>
        new PrincipalSeal([oldKey]).verify(byRotating.principal, byRotating.seal, SUBJECT, 'req-2'),
      ),
      'unknown signing key',
    );
  });

  it('refuses malformed seals and principals of an unknown shape', () => {
    const seal = new PrincipalSeal(DEVELOPMENT_SIGNING_KEYS);
    const cases: [string, string][] = [
      ['', 'the principal is not sealed'],
      ['v1', 'malformed seal'],
      ['v2.dev.1.n.m', 'malformed seal'],
      ['v1.dev.1.n.m.extra', 'malformed seal'],
      ['v1.dev.notatime.n.m', 'expired seal'],
    ];
    for (const [bad, reason] of cases) {
      assert.equal(
        refusal(() => seal.verify('{"kind":"admin"}', bad, SUBJECT, 'r')),
        reason,
        bad,
      );
    }
    const odd = seal.sign({ kind: 'player' } as unknown as Principal, SUBJECT, 'r');
    assert.equal(
      refusal(() => seal.verify(odd.principal, odd.seal, SUBJECT, 'r')),
      'malformed principal',
    );
  });
});
