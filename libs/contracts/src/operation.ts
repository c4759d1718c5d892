/**
 * One definition per operation (issue 9): the subject, what it takes and answers, who may call it,
 * whether it honours Idempotency-Key, which codes it can fail with and its HTTP route. The
 * service's handler, the gateway's route, the OpenAPI entry and the typed bus client all derive
 * from it, so they cannot drift apart.
 */
import { z } from 'zod';
import type { Principal } from './accounts';
import type { ErrorCode } from './errors';

export type PrincipalKind = Principal['kind'];
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A path parameter that is not a UUID: the request field it fills and how its text is read. */
export interface PathParam {
  field: string;
  /** Validates the path segment (text) and gives the field's value; a failure is 400 naming the param. */
  schema: z.ZodType;
  /** For OpenAPI. */
  description?: string;
}

/** How an operation is reached over HTTP; the gateway builds the request from these parts. */
export interface HttpBinding {
  method: HttpMethod;
  /** OpenAPI style: `/v1/items/{id}/move`. */
  path: string;
  /** Status of a success: 200 with a body, 201 created, 202 accepted, 204 without a body. */
  status: 200 | 201 | 202 | 204;
  /**
   * Each path parameter and the request field it fills: `{id: 'itemId'}` for a UUID, or a PathParam
   * with the schema of any other kind (`{x: {field: 'x', schema: chunkCoordinateParam}}`).
   */
  params?: Readonly<Record<string, string | PathParam>>;
  /** Schema of the JSON body; its fields are merged into the request. */
  body?: z.ZodType;
  /** Schema of the query string (values are text); its fields are merged into the request. */
  query?: z.ZodType;
  /**
   * The request field that receives the caller's own session token (the bearer token the gateway
   * authenticated the player with), for routes that act on that session, such as logging out.
   */
  sessionToken?: string;
  /**
   * When set, a caller may send `Prefer: respond-async`: the gateway checks the request as usual,
   * leaves it sealed on this Redis list for the owning service to run in order, and answers 202
   * with `accepted(request)` at once (issue 12: hits on `damage:queue`).
   */
  respondAsync?: RespondAsync;
  /** One line for the route table and OpenAPI. */
  summary: string;
  /** OpenAPI tag (the domain). */
  tag: string;
}

/** The asynchronous variant of a route (see HttpBinding.respondAsync). */
export interface RespondAsync {
  /** The Redis list (a key of libs/redis's RedisKeys, without the app's key prefix). */
  queue: string;
  /** The 202 body's schema, for OpenAPI. */
  reply: z.ZodType;
  /** The 202 body for an accepted request (the request as the gateway parsed it). */
  accepted(request: Record<string, unknown>): unknown;
  /** One line for OpenAPI: what happens to the queued request. */
  summary: string;
}

export interface Operation<
  Req extends z.ZodType = z.ZodType,
  Res extends z.ZodType = z.ZodType,
  P extends PrincipalKind = PrincipalKind,
> {
  /** `<domain>.<entity>.<verb>.v1`. */
  subject: string;
  /** The NATS payload, validated again by the service (game servers may call NATS directly). */
  request: Req;
  /** The reply; `z.null()` for operations that answer nothing. */
  reply: Res;
  /** Who may call it; anyone else is refused before the handler runs. */
  principals: readonly P[];
  /** True when a repeated request with the same Idempotency-Key returns the stored result. */
  idempotent: boolean;
  /**
   * What an Idempotency-Key is pinned to, when not the payload as sent: an operation whose payload
   * holds a secret names what identifies the request instead, so that no fast hash of the secret
   * is ever stored.
   */
  idempotencyPin?(request: z.output<Req>): unknown;
  /** Domain codes the operation can fail with, besides the ones every operation has. */
  errors: readonly ErrorCode[];
  http?: HttpBinding;
}

/** Any operation (for registries and generic code). */
export type AnyOperation = Operation<z.ZodType, z.ZodType, PrincipalKind>;
/** The request an operation's handler receives (parsed). */
export type RequestOf<O extends AnyOperation> = z.output<O['request']>;
/** What a caller sends (before defaults and transforms). */
export type InputOf<O extends AnyOperation> = z.input<O['request']>;
/** The reply type of an operation. */
export type ReplyOf<O extends AnyOperation> = z.output<O['reply']>;
/** The principal an operation's handler receives, narrowed to the kinds it admits. */
export type PrincipalOf<O extends AnyOperation> = Extract<Principal, { kind: O['principals'][number] }>;

/** Declares an operation; the literal types of `principals` narrow the handler's principal. */
export function defineOperation<Req extends z.ZodType, Res extends z.ZodType, P extends PrincipalKind>(
  op: Operation<Req, Res, P>,
): Operation<Req, Res, P> {
  if (op.idempotent && op.http?.method === 'GET') {
    throw new Error(`${op.subject}: a GET never takes an Idempotency-Key`);
  }
  if (op.idempotencyPin && !op.idempotent) {
    throw new Error(`${op.subject}: only an idempotent operation pins its Idempotency-Key`);
  }
  for (const { name, field } of op.http ? pathParamsOf(op.http) : []) {
    if (!op.http?.path.includes(`{${name}}`)) throw new Error(`${op.subject}: no {${name}} in the path`);
    if (!field) throw new Error(`${op.subject}: path parameter ${name} fills no field`);
  }
  if (op.http?.sessionToken && op.principals.some((kind) => kind !== 'player')) {
    throw new Error(`${op.subject}: only a player has a session token`);
  }
  return Object.freeze(op);
}

const uuidParam = z.uuid('must be a UUID');

/** The path parameters of a route, each with its field and schema (a UUID unless declared otherwise). */
export function pathParamsOf(
  http: HttpBinding,
): { name: string; field: string; schema: z.ZodType; uuid: boolean; description?: string }[] {
  return Object.entries(http.params ?? {}).map(([name, param]) =>
    typeof param === 'string'
      ? { name, field: param, schema: uuidParam, uuid: true }
      : { name, ...param, uuid: false },
  );
}

/** Every operation of a group of domain operation maps, for the gateway and the docs. */
export function operationsOf(...groups: Record<string, AnyOperation>[]): AnyOperation[] {
  return groups.flatMap((group) => Object.values(group));
}
