import { AppError, ErrorCode, type Principal } from '@trustno1/contracts';
import { PRINCIPAL_SIGNATURE_HEADER, type PrincipalSeal } from './principal-seal';

/** NATS header carrying the caller the gateway authenticated, as JSON (with its seal). */
export const PRINCIPAL_HEADER = 'x-principal';
/** NATS header of a game server calling NATS directly: its own server key, as over HTTP. */
export const SERVER_KEY_HEADER = 'x-server-key';

/** Resolves a game server's key to the server principal; rejects UNAUTHENTICATED otherwise. */
export type ServerKeyResolver = (apiKey: string) => Promise<Extract<Principal, { kind: 'server' }>>;

interface HeaderReader {
  get(name: string): string;
}

/**
 * Decides who sent a NATS request, before any handler runs: a sealed principal (the gateway, the
 * worker, another service), a game server's own key, or nobody (anonymous). A principal that is
 * claimed but not proven is refused, never downgraded.
 */
export class CallerAuthenticator {
  constructor(
    private readonly seal: PrincipalSeal,
    private readonly resolveServerKey?: ServerKeyResolver,
  ) {}

  async authenticate(
    subject: string,
    requestId: string,
    headers: HeaderReader | undefined,
  ): Promise<Principal> {
    const get = (name: string) => headers?.get(name) || undefined;
    const claimed = get(PRINCIPAL_HEADER);
    const serverKey = get(SERVER_KEY_HEADER);
    if (claimed !== undefined && serverKey !== undefined) {
      throw new AppError(ErrorCode.UNAUTHENTICATED, 'Send a sealed principal or a server key, not both');
    }
    if (serverKey !== undefined) {
      if (!this.resolveServerKey) {
        throw new AppError(ErrorCode.UNAUTHENTICATED, 'Server keys are not accepted here');
      }
      return this.resolveServerKey(serverKey);
    }
    if (claimed === undefined) return { kind: 'anonymous' };
    return this.seal.verify(claimed, get(PRINCIPAL_SIGNATURE_HEADER), subject, requestId);
  }
}
