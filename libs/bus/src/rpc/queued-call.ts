import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { AppError, ErrorCode, type Principal } from '@trustno1/contracts';
import { PrincipalSeal, type SigningKey } from './principal-seal';

/**
 * A request the gateway accepted with `Prefer: respond-async` and left on a Redis list for the
 * owning service to run later (issue 12: `damage:queue`). It carries what a NATS request carries
 * (subject, payload, the proven principal, the request id), sealed with the principal signing
 * keys over all of it, so that the service runs it as the caller the gateway proved and nobody
 * who can only write to Redis can add or alter one.
 */
export interface QueuedCall {
  v: 1;
  /** Unique per accepted request (also the request id of the run, for the logs). */
  id: string;
  subject: string;
  /** Unix ms when the gateway accepted it. */
  at: number;
  principal: Principal;
  payload: unknown;
  /** `<keyId>.<mac>` over the fields above. */
  seal: string;
}

/** Why a queued call was not run, for the dead-letter list. */
export type QueuedCallRefusal = 'MALFORMED' | 'BAD_SEAL' | 'EXPIRED' | 'WRONG_SUBJECT';

export class QueuedCallRefused extends Error {
  constructor(
    readonly reason: QueuedCallRefusal,
    detail: string,
  ) {
    super(`queued call refused (${reason}): ${detail}`);
  }
}

export interface QueuedCallSealOptions {
  /** How long after it was accepted a call may still run (older ones are refused EXPIRED). */
  maxAgeMs: number;
  now?: () => number;
}

/** Seals queued calls (gateway) and opens them (owning service). */
export class QueuedCallSeal {
  private readonly byId: Map<string, SigningKey>;
  private readonly now: () => number;

  constructor(
    private readonly keys: readonly SigningKey[],
    private readonly options: QueuedCallSealOptions,
  ) {
    if (keys.length === 0) throw new Error('QueuedCallSeal needs at least one key');
    this.byId = new Map(keys.map((k) => [k.id, k]));
    this.now = options.now ?? Date.now;
  }

  /** The JSON text to push onto the queue. */
  seal(subject: string, principal: Principal, payload: unknown, id: string = randomUUID()): string {
    const key = this.keys[0];
    const at = this.now();
    const body = { v: 1 as const, id, subject, at, principal, payload };
    return JSON.stringify({ ...body, seal: `${key.id}.${this.mac(key, body)}` });
  }

  /**
   * The call in `text` when its seal holds, it was made for `subject` and it is not older than
   * maxAgeMs; else QueuedCallRefused saying why (it never runs).
   */
  open(text: string, subject: string): QueuedCall {
    let call: Partial<QueuedCall>;
    try {
      call = JSON.parse(text) as Partial<QueuedCall>;
    } catch {
      throw new QueuedCallRefused('MALFORMED', 'not JSON');
    }
    const { v, id, at, principal, seal } = call;
    if (v !== 1 || typeof id !== 'string' || typeof call.subject !== 'string' || typeof seal !== 'string')
      throw new QueuedCallRefused('MALFORMED', 'missing fields');
    if (typeof at !== 'number' || !Number.isSafeInteger(at) || !principal || typeof principal !== 'object')
      throw new QueuedCallRefused('MALFORMED', 'missing fields');
    const [keyId, mac, extra] = seal.split('.');
    const key = keyId ? this.byId.get(keyId) : undefined;
    if (!key || !mac || extra !== undefined) throw new QueuedCallRefused('BAD_SEAL', 'unknown key');
    const body = { v, id, subject: call.subject, at, principal, payload: call.payload };
    const expected = Buffer.from(this.mac(key, body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new QueuedCallRefused('BAD_SEAL', 'the seal does not match');
    if (call.subject !== subject) throw new QueuedCallRefused('WRONG_SUBJECT', call.subject);
    if (this.now() - at > this.options.maxAgeMs)
      throw new QueuedCallRefused('EXPIRED', `accepted ${new Date(at).toISOString()}`);
    return { ...body, principal: provenPrincipal(principal), seal };
  }

  private mac(key: SigningKey, body: Omit<QueuedCall, 'seal'>): string {
    const digest = createHash('sha256')
      .update(JSON.stringify(body.payload) ?? 'undefined')
      .digest('base64url');
    return createHmac('sha256', key.secret)
      .update(
        ['queued-v1', key.id, body.id, body.subject, body.at, JSON.stringify(body.principal), digest].join(
          '\n',
        ),
      )
      .digest('base64url');
  }
}

/** The principal's shape is checked the way a sealed NATS principal's is (never widened). */
function provenPrincipal(principal: Principal): Principal {
  try {
    // PrincipalSeal's reader: one place decides what a principal may look like.
    return PrincipalSeal.principalFromJson(JSON.stringify(principal));
  } catch (err) {
    if (err instanceof AppError && err.code === ErrorCode.UNAUTHENTICATED)
      throw new QueuedCallRefused('MALFORMED', 'malformed principal');
    throw err;
  }
}
