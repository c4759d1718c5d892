import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Principal } from '@trustno1/contracts';
import { REQUEST_ID_HEADER } from '../request-context';
import { PRINCIPAL_HEADER } from './caller-authenticator';
/** NATS header carrying the caller's `Idempotency-Key`. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** What a service handler knows about the request besides its payload. */
export interface RequestMeta {
  requestId: string | undefined;
  principal: Principal;
  idempotencyKey: string | undefined;
}

interface HeaderReader {
  get(name: string): string;
}

const ANONYMOUS: Principal = { kind: 'anonymous' };

/**
 * Reads the principal header that BusServer rewrote after proving it; anything malformed counts
 * as anonymous, never as more.
 */
export function parsePrincipal(raw: string | undefined): Principal {
  if (!raw) return ANONYMOUS;
  try {
    const value = JSON.parse(raw) as Partial<Record<string, unknown>>;
    switch (value.kind) {
      case 'player':
        return typeof value.accountId === 'string'
          ? { kind: 'player', accountId: value.accountId }
          : ANONYMOUS;
      case 'server':
        return typeof value.serverId === 'string' && typeof value.region === 'string'
          ? { kind: 'server', serverId: value.serverId, region: value.region }
          : ANONYMOUS;
      case 'admin':
        return { kind: 'admin' };
      default:
        return ANONYMOUS;
    }
  } catch {
    return ANONYMOUS;
  }
}

/** Builds the meta of a NATS request from its headers. */
export function requestMetaFrom(headers: HeaderReader | undefined): RequestMeta {
  const get = (name: string) => headers?.get(name) || undefined;
  return {
    requestId: get(REQUEST_ID_HEADER),
    principal: parsePrincipal(get(PRINCIPAL_HEADER)),
    idempotencyKey: get(IDEMPOTENCY_KEY_HEADER),
  };
}

/** Handler parameter: `@Meta() meta: RequestMeta` in a `@MessagePattern` method. */
export const Meta = createParamDecorator((_data: unknown, ctx: ExecutionContext): RequestMeta => {
  const natsCtx = ctx.switchToRpc().getContext<{ getHeaders?: () => HeaderReader | undefined }>();
  return requestMetaFrom(natsCtx?.getHeaders?.());
});
