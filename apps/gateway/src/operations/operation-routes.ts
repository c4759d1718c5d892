import {
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Patch,
  Post,
  Put,
  Optional,
  Req,
  Res,
  SetMetadata,
  type Type,
} from '@nestjs/common';
import { z } from 'zod';
import { BusClient } from '@trustno1/bus';
import { QueuedCallPublisher } from './queued-call.publisher';
import {
  parsePayload,
  pathParamsOf,
  type AnyOperation,
  type HttpBinding,
  type HttpMethod,
} from '@trustno1/contracts';
import { Access } from '../auth/access';
import type { AuthedRequest } from '../auth/auth.guard';
import { bearerToken } from '../auth/principal.resolver';
import { idempotencyKeyOf } from '../auth/request-params';

/** Whether the request asks to be answered before it is done (RFC 7240 `Prefer: respond-async`). */
export function prefersAsync(request: AuthedRequest): boolean {
  const header = request.headers.prefer;
  const values = Array.isArray(header) ? header : header ? [header] : [];
  return values.some((value) =>
    value.split(',').some((preference) => preference.split(';')[0].trim().toLowerCase() === 'respond-async'),
  );
}

interface ReplyHandle {
  status(code: number): unknown;
  header(name: string, value: string): unknown;
}

/** Metadata key under which a generated route keeps its operation (for docs and tests). */
export const OPERATION_METADATA = 'tn1:operation';

const ROUTE: Record<HttpMethod, (path: string) => MethodDecorator> = {
  GET: Get,
  POST: Post,
  PUT: Put,
  PATCH: Patch,
  DELETE: Delete,
};

/** `/v1/items/{id}/move` → `v1/items/:id/move` (Nest's path syntax). */
export function nestPath(path: string): string {
  return path.replace(/^\//, '').replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

/**
 * The NATS payload of an HTTP request: path parameters (UUIDs unless the route gives a schema,
 * named by their parameter), the query and the body, each checked with the operation's schemas;
 * a bad one is 400 naming it.
 */
export function payloadOf(http: HttpBinding, request: AuthedRequest): Record<string, unknown> {
  const params = pathParamsOf(http);
  const fromPath: Record<string, unknown> = {};
  if (params.length > 0) {
    const parsed = parsePayload(
      z.object(Object.fromEntries(params.map(({ name, schema }) => [name, schema]))),
      request.params ?? {},
    ) as Record<string, unknown>;
    for (const { name, field } of params) fromPath[field] = parsed[name];
  }
  const query = http.query ? (parsePayload(http.query, request.query ?? {}) as object) : {};
  const body = http.body ? (parsePayload(http.body, request.body) as object) : {};
  const fromCaller = http.sessionToken
    ? { [http.sessionToken]: bearerToken(request.headers.authorization) }
    : {};
  return { ...query, ...body, ...fromPath, ...fromCaller };
}

/**
 * One Nest controller serving `operations` over HTTP: each route authenticates through the
 * global guards (its principals are the operation's), validates with the operation's schemas
 * and forwards to the owning service over NATS with the principal sealed and the
 * Idempotency-Key passed on. Nothing about a route is written twice.
 */
export function operationsController(operations: readonly AnyOperation[]): Type<unknown> {
  @Controller()
  class OperationsController {
    constructor(
      @Inject(BusClient) readonly bus: BusClient,
      @Optional() @Inject(QueuedCallPublisher) readonly queued?: QueuedCallPublisher,
    ) {}
  }
  const proto = OperationsController.prototype as unknown as Record<string, unknown>;
  for (const op of operations) {
    const http = op.http;
    if (!http) continue;
    const name = op.subject.replace(/[^A-Za-z0-9]/g, '_');
    async function route(
      this: OperationsController,
      request: AuthedRequest,
      reply: ReplyHandle,
    ): Promise<unknown> {
      const payload = payloadOf(http!, request);
      const principal = request.principal ?? { kind: 'anonymous' as const };
      const later = http!.respondAsync;
      if (later && this.queued && prefersAsync(request)) {
        await this.queued.push(op, later.queue, principal, payload);
        reply.status(202);
        reply.header('Preference-Applied', 'respond-async');
        return later.accepted(payload);
      }
      const idempotencyKey = op.idempotent ? idempotencyKeyOf(request) : undefined;
      const answer = await this.bus.call(op, payload, { principal, idempotencyKey });
      return http!.status === 204 ? undefined : answer;
    }
    Object.defineProperty(route, 'name', { value: name });
    proto[name] = route;
    const descriptor = Object.getOwnPropertyDescriptor(proto, name)!;
    for (const decorate of [
      ROUTE[http.method](nestPath(http.path)),
      HttpCode(http.status),
      Access(...op.principals),
      SetMetadata(OPERATION_METADATA, op),
    ]) {
      decorate(proto, name, descriptor);
    }
    Req()(proto, name, 0);
    Res({ passthrough: true })(proto, name, 1);
  }
  return OperationsController;
}
