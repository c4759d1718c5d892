import { z } from 'zod';
import {
  ErrorCode,
  httpStatusOf,
  pathParamsOf,
  type AnyOperation,
  type PrincipalKind,
} from '@trustno1/contracts';

type Json = Record<string, unknown>;

/** The error envelope every failure answers with (SPEC §7). */
export const ERROR_RESPONSE_SCHEMA: Json = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { type: 'string', enum: Object.values(ErrorCode) },
        message: { type: 'string' },
        details: { description: 'What was wrong: `fields` for VALIDATION_FAILED, ids, reasons' },
        requestId: { type: 'string', description: 'Also in the `x-request-id` header and the logs' },
      },
    },
  },
};

const REQUEST_ID = {
  description: 'The request id: the one sent, or one the gateway chose',
  schema: { type: 'string' },
};

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: `details.fields` names each bad field',
  401: 'Missing or invalid credentials',
  403: 'The caller may not do this',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'The body is larger than the limit',
  415: 'The body is not JSON',
  422: 'A rule of the game refuses it',
  423: 'Locked',
  429: 'Too many requests: retry after `Retry-After` seconds',
  503: 'A dependency is unavailable: retry with the same Idempotency-Key',
};

const SECURITY: Record<PrincipalKind, Json> = {
  player: { player: [] },
  server: { server: [] },
  admin: { admin: [] },
  anonymous: {},
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
}

/** The statuses an operation can answer besides its success, each with the codes behind it. */
export function errorStatuses(op: AnyOperation): Map<number, ErrorCode[]> {
  const codes: ErrorCode[] = [ErrorCode.VALIDATION_FAILED, ErrorCode.UNAUTHENTICATED, ...op.errors];
  const kinds: PrincipalKind[] = ['player', 'server', 'admin'];
  if (kinds.some((kind) => !op.principals.includes(kind))) codes.push(ErrorCode.FORBIDDEN);
  if (op.idempotent) codes.push(ErrorCode.IDEMPOTENCY_KEY_REUSED);
  if (op.http?.body) codes.push(ErrorCode.PAYLOAD_TOO_LARGE);
  codes.push(ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE);
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = httpStatusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  if (op.http?.body) byStatus.set(415, []);
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

function responses(op: AnyOperation): Json {
  const http = op.http!;
  const headers = { 'x-request-id': REQUEST_ID };
  const out: Json = {
    [http.status]:
      http.status === 204
        ? { description: 'Done', headers }
        : {
            description: http.summary,
            headers,
            content: { 'application/json': { schema: jsonSchema(op.reply, 'output') } },
          },
  };
  if (http.respondAsync) {
    out[202] = {
      description: http.respondAsync.summary,
      headers: {
        ...headers,
        'Preference-Applied': { description: '`respond-async`', schema: { type: 'string' } },
      },
      content: { 'application/json': { schema: jsonSchema(http.respondAsync.reply, 'output') } },
    };
  }
  for (const [status, codes] of errorStatuses(op)) {
    const retry =
      status === 429
        ? { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } }
        : {};
    out[status] = {
      description: [DESCRIPTIONS[status] ?? 'Error', codes.length ? `(${codes.join(', ')})` : '']
        .join(' ')
        .trim(),
      headers: { ...headers, ...retry },
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } },
    };
  }
  return out;
}

function parameters(op: AnyOperation): Json[] {
  const http = op.http!;
  const params: Json[] = pathParamsOf(http).map(({ name, schema, uuid, description }) => ({
    name,
    in: 'path',
    required: true,
    ...(description ? { description } : {}),
    schema: uuid ? { type: 'string', format: 'uuid' } : jsonSchema(schema, 'input'),
  }));
  if (http.query) {
    const query = jsonSchema(http.query, 'input') as { properties?: Json; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      params.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  if (op.idempotent) {
    params.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Same key and body: the stored response again; same key, other body: 409',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  }
  if (http.respondAsync) {
    params.push({
      name: 'Prefer',
      in: 'header',
      required: false,
      description: `\`respond-async\`: answered 202 at once, run later from \`${http.respondAsync.queue}\` (Idempotency-Key is not used then)`,
      schema: { type: 'string' },
    });
  }
  params.push({ name: 'x-request-id', in: 'header', required: false, ...REQUEST_ID });
  return params;
}

/** The OpenAPI operation object of an operation with an HTTP route. */
export function openApiOperation(op: AnyOperation): Json {
  const http = op.http!;
  return {
    operationId: op.subject
      .replace(/\.(\w)/g, (_m, c: string) => c.toUpperCase())
      .replace(/[^A-Za-z0-9]/g, ''),
    summary: http.summary,
    description: `NATS subject \`${op.subject}\`; callers: ${op.principals.join(', ')}.`,
    tags: [http.tag],
    security: op.principals.map((kind) => SECURITY[kind]),
    parameters: parameters(op),
    ...(http.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: jsonSchema(http.body, 'input') } },
          },
        }
      : {}),
    responses: responses(op),
  };
}

/** Writes every operation's route into an OpenAPI document (replacing what was scanned). */
export function addOperationsTo(
  document: { paths: Record<string, Json>; components?: { schemas?: Json } },
  operations: readonly AnyOperation[],
): void {
  document.components = { ...document.components };
  document.components.schemas = { ...document.components.schemas, ErrorResponse: ERROR_RESPONSE_SCHEMA };
  for (const op of operations) {
    if (!op.http) continue;
    const path = document.paths[op.http.path] ?? {};
    path[op.http.method.toLowerCase()] = openApiOperation(op);
    document.paths[op.http.path] = path;
  }
}
