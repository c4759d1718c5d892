import { Ctx, MessagePattern, Payload } from '@nestjs/microservices';
import {
  AppError,
  ErrorCode,
  parsePayload,
  principalKey,
  type AnyOperation,
  type PrincipalOf,
  type ReplyOf,
  type RequestOf,
} from '@trustno1/contracts';
import { requestHash, type IdempotencyClaim } from '@trustno1/db';
import { requestMetaFrom } from './request-meta';

/** What a handler knows of the request besides its payload: who asked, and how to dedupe it. */
export interface Call<O extends AnyOperation> {
  principal: PrincipalOf<O>;
  requestId: string | undefined;
  /** Present when the operation honours Idempotency-Key and the request carried one. */
  idempotency: IdempotencyClaim | undefined;
}

/** The signature a handler of `O` must have: a wrong request or reply type does not compile. */
export type OperationHandler<O extends AnyOperation> = (
  request: RequestOf<O>,
  call: Call<O>,
) => Promise<ReplyOf<O>> | ReplyOf<O>;

interface HeaderReader {
  get(name: string): string;
}

/**
 * Everything that precedes the domain call, in the order a hostile caller would test it: who
 * asks (already proven by BusServer), whether that kind of caller may, whether the payload is
 * valid, and the idempotency claim. Throws the AppError the caller gets.
 */
export function admit<O extends AnyOperation>(
  op: O,
  payload: unknown,
  headers: HeaderReader | undefined,
): { request: RequestOf<O>; call: Call<O> } {
  const meta = requestMetaFrom(headers);
  const principal = meta.principal;
  if (!(op.principals as readonly string[]).includes(principal.kind)) {
    if (principal.kind === 'anonymous') throw new AppError(ErrorCode.UNAUTHENTICATED, 'Credentials required');
    throw new AppError(ErrorCode.FORBIDDEN, `This operation is not open to a ${principal.kind}`);
  }
  const request = parsePayload(op.request, payload ?? {}) as RequestOf<O>;
  const idempotency =
    op.idempotent && meta.idempotencyKey
      ? {
          principal: principalKey(principal),
          key: meta.idempotencyKey,
          requestHash: requestHash(op.subject, op.idempotencyPin ? op.idempotencyPin(request) : payload),
        }
      : undefined;
  return {
    request,
    call: { principal: principal as PrincipalOf<O>, requestId: meta.requestId, idempotency },
  };
}

/**
 * Serves an operation of `libs/contracts` over NATS. The method receives the parsed request and
 * the Call; parsing, the principal check and the idempotency claim are done here, once for all.
 *
 *   @Handle(InventoryOps.moveItem)
 *   move(request: RequestOf<typeof InventoryOps.moveItem>, call: Call<typeof InventoryOps.moveItem>) { … }
 */
export function Handle<O extends AnyOperation>(op: O) {
  return <H extends OperationHandler<O>>(
    target: object,
    key: string | symbol,
    descriptor: TypedPropertyDescriptor<H>,
  ): void => {
    const handler = descriptor.value;
    if (!handler) throw new Error(`@Handle(${op.subject}) must decorate a method`);
    // Nest hands the wrapper (payload, NatsContext); the method itself gets (request, call).
    const served = async function (
      this: unknown,
      payload: unknown,
      ctx?: { getHeaders?: () => HeaderReader },
    ) {
      const { request, call } = admit(op, payload, ctx?.getHeaders?.());
      const reply = await handler.call(this, request, call);
      // NATS cannot carry `undefined`; operations without a reply answer null.
      return reply ?? null;
    };
    Object.defineProperty(served, 'name', { value: handler.name });
    descriptor.value = served as unknown as H;
    MessagePattern(op.subject)(target, key, descriptor);
    Payload()(target, key, 0);
    Ctx()(target, key, 1);
  };
}
