import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, ErrorCode, type Principal } from '@trustno1/contracts';

/** NATS header carrying the seal of `x-principal`: `v1.<keyId>.<unix ms>.<nonce>.<mac>`. */
export const PRINCIPAL_SIGNATURE_HEADER = 'x-principal-sig';

/** One shared key: the gateway, the worker and the services sign and verify with it. */
export interface SigningKey {
  id: string;
  secret: Buffer;
}

/**
 * The public development keyring, used when PRINCIPAL_SIGNING_KEYS is unset outside production
 * (the config refuses to start a production app without real keys).
 */
export const DEVELOPMENT_SIGNING_KEYS: readonly SigningKey[] = Object.freeze([
  { id: 'dev', secret: Buffer.from('trustno1-development-principal-signing-key-not-secret') },
]);

export interface PrincipalSealOptions {
  /** How long a seal is accepted after it was made (and how far ahead a clock may be). */
  maxAgeMs?: number;
  now?: () => number;
}

/**
 * Seals the principal the gateway (or an internal caller) authenticated, for one subject and one
 * request, for a short time; services accept a principal only with a valid seal. Each seal also
 * carries a nonce that a service accepts once, so a captured request cannot be replayed to it.
 */
export class PrincipalSeal {
  private readonly byId: Map<string, SigningKey>;
  private readonly maxAgeMs: number;
  private readonly now: () => number;
  /** Nonces seen within the window, oldest first (a Map keeps insertion order). */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly keys: readonly SigningKey[],
    options: PrincipalSealOptions = {},
  ) {
    if (keys.length === 0) throw new Error('PrincipalSeal needs at least one key');
    this.byId = new Map(keys.map((k) => [k.id, k]));
    this.maxAgeMs = options.maxAgeMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  /** The JSON of the principal and its seal, as the two headers to send. */
  sign(principal: Principal, subject: string, requestId: string): { principal: string; seal: string } {
    const key = this.keys[0];
    const json = JSON.stringify(principal);
    const at = String(this.now());
    const nonce = randomBytes(12).toString('base64url');
    const mac = this.mac(key, at, nonce, subject, requestId, json);
    return { principal: json, seal: ['v1', key.id, at, nonce, mac].join('.') };
  }

  /**
   * The principal of a sealed request, or UNAUTHENTICATED saying why (no seal, unknown key,
   * expired, made for another subject or request, replayed).
   */
  verify(principalJson: string, seal: string | undefined, subject: string, requestId: string): Principal {
    if (!seal) throw refused('the principal is not sealed');
    const [version, keyId, at, nonce, mac, extra] = seal.split('.');
    if (version !== 'v1' || !keyId || !at || !nonce || !mac || extra !== undefined)
      throw refused('malformed seal');
    const key = this.byId.get(keyId);
    if (!key) throw refused('unknown signing key');
    const issued = Number(at);
    const now = this.now();
    if (!Number.isSafeInteger(issued) || Math.abs(now - issued) > this.maxAgeMs)
      throw refused('expired seal');
    const expected = Buffer.from(this.mac(key, at, nonce, subject, requestId, principalJson));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused('bad seal');
    this.remember(nonce, issued, now);
    return toPrincipal(principalJson);
  }

  /** A principal read from its JSON, its shape checked and never widened (UNAUTHENTICATED when malformed). */
  static principalFromJson(json: string): Principal {
    return toPrincipal(json);
  }

  private mac(key: SigningKey, at: string, nonce: string, subject: string, requestId: string, json: string) {
    return createHmac('sha256', key.secret)
      .update(['v1', key.id, at, nonce, subject, requestId, json].join('\n'))
      .digest('base64url');
  }

  private remember(nonce: string, issued: number, now: number): void {
    if (this.seen.has(nonce)) throw refused('replayed seal');
    for (const [old, at] of this.seen) {
      if (now - at <= this.maxAgeMs && this.seen.size < 200_000) break;
      this.seen.delete(old);
    }
    this.seen.set(nonce, issued);
  }
}

function refused(reason: string): AppError {
  return new AppError(ErrorCode.UNAUTHENTICATED, 'The caller is not authenticated', { reason });
}

/** A sealed principal was made by a trusted signer; its shape is still checked, never widened. */
function toPrincipal(json: string): Principal {
  let value: Partial<Record<string, unknown>>;
  try {
    value = JSON.parse(json) as Partial<Record<string, unknown>>;
  } catch {
    throw refused('malformed principal');
  }
  switch (value.kind) {
    case 'player':
      if (typeof value.accountId === 'string') return { kind: 'player', accountId: value.accountId };
      break;
    case 'server':
      if (typeof value.serverId === 'string' && typeof value.region === 'string')
        return { kind: 'server', serverId: value.serverId, region: value.region };
      break;
    case 'admin':
      return { kind: 'admin' };
    case 'anonymous':
      return { kind: 'anonymous' };
  }
  throw refused('malformed principal');
}
