/**
 * Wrong-type variations, the fuzzing Portman does not do: for each operation of the OpenAPI
 * document, copies of its generated request with one top-level body property (or one number,
 * boolean or enum query parameter) set to a value of another JSON type. They carry Portman's
 * `[Fuzz]` mark, so tools/api-fuzz/check.ts demands a 4xx for each. Pure: it reads the document
 * and the collection and returns new collection items.
 */
import { bodyOf, FUZZ_MARK, operationsOf, pathOf, type Failure, type NewmanExecution } from './check';

type Json = Record<string, unknown>;

/** The part of a Postman collection item this module reads and writes. */
export interface CollectionItem {
  id?: string;
  name: string;
  item?: CollectionItem[];
  request?: {
    name?: string;
    method: string;
    url: {
      path?: string[];
      query?: Array<{ key: string; value: string; disabled?: boolean }>;
      variable?: Array<{ key: string; value: string }>;
    };
    body?: { mode?: string; raw?: string };
  };
  event?: Array<{ listen: string; script?: { id?: string; exec?: string[] } }>;
}

/** At most this many wrong-type variations per operation (required body fields first). */
export const DEFAULT_PER_OPERATION = 8;

/** The second part of a wrong-type variation's name: `<summary>[Fuzz][wrong type <field>]`. */
export const WRONG_TYPE_LABEL = 'wrong type';

const WRONG_TYPE_NAME = new RegExp(`\\[${WRONG_TYPE_LABEL} (?:query )?([^\\]]+)\\]$`);

/** A UUID every `format: uuid` path parameter accepts (version 4, RFC variant). */
const WELL_FORMED_UUID = '00000000-0000-4000-8000-000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null';

const FALLBACKS: unknown[] = [123, 'x', true, {}, [], null];

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value as JsonType;
}

function resolve(schema: unknown, document: Json): Json | undefined {
  if (schema === null || typeof schema !== 'object') return undefined;
  const ref = (schema as Json).$ref;
  if (typeof ref !== 'string') return schema as Json;
  const components = ((document.components as Json | undefined)?.schemas ?? {}) as Json;
  return resolve(components[ref.replace('#/components/schemas/', '')], document);
}

/** The JSON types a schema accepts; undefined when it may accept any. */
function typesOf(schema: Json | undefined, document: Json): Set<JsonType> | undefined {
  if (!schema) return undefined;
  if (Array.isArray(schema.enum)) return new Set(schema.enum.map(jsonTypeOf));
  if ('const' in schema) return new Set([jsonTypeOf(schema.const)]);
  if (typeof schema.type === 'string') return new Set([schema.type as JsonType]);
  if (Array.isArray(schema.type)) return new Set(schema.type as JsonType[]);
  const branches = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (!Array.isArray(branches)) return undefined;
  const union = new Set<JsonType>();
  for (const branch of branches) {
    const types = typesOf(resolve(branch, document), document);
    if (!types) return undefined;
    for (const type of types) union.add(type);
  }
  return union;
}

function accepts(types: Set<JsonType>, value: unknown): boolean {
  const type = jsonTypeOf(value);
  return types.has(type) || (type === 'integer' && types.has('number'));
}

const BY_TYPE: Record<JsonType, unknown> = {
  string: 123,
  number: 'not-a-number',
  integer: 'not-a-number',
  boolean: 'yes',
  array: {},
  object: 'x',
  null: 'x',
};

/**
 * A value of a JSON type the body schema does not accept (string→123, number→"not-a-number",
 * boolean→"yes", array→{}, object→"x"), or undefined when the schema accepts any type.
 */
export function wrongBodyValue(schema: unknown, document: Json = {}): { value: unknown } | undefined {
  const types = typesOf(resolve(schema, document), document);
  if (!types || types.size === 0) return undefined;
  const [first] = types;
  const candidates = [BY_TYPE[first], ...FALLBACKS];
  const at = candidates.findIndex((value) => !accepts(types, value));
  return at < 0 ? undefined : { value: candidates[at] };
}

/**
 * A query string that cannot be a value of the parameter's schema: "not-a-number" for a number
 * (or a string only digits match), "yes" for a boolean, a word outside an enum; undefined for a
 * free string, where every query string has the right type.
 */
export function wrongQueryValue(schema: unknown, document: Json = {}): string | undefined {
  const resolved = resolve(schema, document);
  if (!resolved) return undefined;
  if (Array.isArray(resolved.enum)) {
    const allowed = resolved.enum.map(String);
    return ['yes', 'not-a-number', 'x'].find((word) => !allowed.includes(word));
  }
  const types = typesOf(resolved, document);
  if (types?.has('number') || types?.has('integer')) return 'not-a-number';
  if (types?.has('boolean')) return 'yes';
  if (types?.has('string') && typeof resolved.pattern === 'string') {
    const pattern = new RegExp(resolved.pattern, 'u');
    if (pattern.test('1') && !pattern.test('not-a-number')) return 'not-a-number';
  }
  return undefined;
}

function flatten(items: CollectionItem[]): CollectionItem[] {
  return items.flatMap((item) => (item.item ? flatten(item.item) : [item]));
}

/** `/v1/items/{id}` as Portman writes its path: `v1/items/:id`. */
function collectionPath(path: string): string {
  return path.replace(/^\//, '').replace(/\{([^}]+)\}/g, ':$1');
}

/** Collections are plain JSON (and structuredClone's objects come from another realm under Jest). */
const cloneJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

function variationOf(
  base: CollectionItem,
  tests: CollectionItem['event'],
  field: string,
  change: (request: NonNullable<CollectionItem['request']>) => void,
): CollectionItem {
  const { id: _id, event: _event, ...rest } = cloneJson(base);
  const name = `${base.name}${FUZZ_MARK}[${WRONG_TYPE_LABEL} ${field}]`;
  const variation: CollectionItem = { ...rest, name, request: { ...rest.request!, name } };
  // The assertions of the operation's Portman variation target its 400; the base request's the success.
  if (tests)
    variation.event = cloneJson(tests).map(({ script, ...event }) => {
      const { id: _scriptId, ...body } = script ?? {};
      return { ...event, script: body };
    });
  change(variation.request!);
  return variation;
}

/** Every wrong-type variation of one operation, required body fields first, then query parameters. */
function operationVariations(
  document: Json,
  operation: Json,
  base: CollectionItem,
  tests: CollectionItem['event'],
): CollectionItem[] {
  const parameters = (operation.parameters ?? []) as Json[];
  // Portman's `urn:uuid:…` examples stop validation at the path; a well-formed one lets it reach the field.
  const uuidParams = parameters
    .filter((p) => p.in === 'path' && (p.schema as Json | undefined)?.format === 'uuid')
    .map((p) => String(p.name));
  const made: CollectionItem[] = [];
  const vary = (field: string, change: (request: NonNullable<CollectionItem['request']>) => void) =>
    made.push(
      variationOf(base, tests, field, (request) => {
        for (const variable of request.url.variable ?? [])
          if (uuidParams.includes(variable.key) && !UUID.test(variable.value))
            variable.value = WELL_FORMED_UUID;
        change(request);
      }),
    );

  const content = (operation.requestBody as { content?: Record<string, Json> } | undefined)?.content;
  const bodySchema = resolve(content?.['application/json']?.schema, document);
  let body: unknown;
  try {
    body = base.request!.body?.raw ? JSON.parse(base.request!.body.raw) : undefined;
  } catch {
    body = undefined;
  }
  const properties = (bodySchema?.properties ?? {}) as Json;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const required = new Set((bodySchema?.required ?? []) as string[]);
    const names = Object.keys(properties).sort((a, b) => +required.has(b) - +required.has(a));
    for (const field of names) {
      const wrong = wrongBodyValue(properties[field], document);
      if (!wrong) continue;
      const changed = { ...(body as Json), [field]: wrong.value };
      vary(field, (request) => {
        request.body = { ...request.body, raw: JSON.stringify(changed, null, 2) };
      });
    }
  }

  for (const parameter of parameters.filter((p) => p.in === 'query')) {
    const name = String(parameter.name);
    const wrong = wrongQueryValue(parameter.schema, document);
    if (wrong === undefined) continue;
    vary(`query ${name}`, (request) => {
      const query = (request.url.query ?? []).filter((entry) => entry.key !== name);
      request.url.query = [...query, { key: name, value: wrong }];
    });
  }
  return made;
}

/**
 * The wrong-type variations of every operation in `document` whose request is in `items` (a
 * Portman collection's items, nested or flat): at most `perOperation` per operation.
 */
export function wrongTypeVariations(
  document: Json,
  items: CollectionItem[],
  options: { perOperation?: number } = {},
): CollectionItem[] {
  const perOperation = options.perOperation ?? DEFAULT_PER_OPERATION;
  const requests = flatten(items).filter((item) => item.request);
  const out: CollectionItem[] = [];
  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>;
  for (const [path, methods] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const same = (item: CollectionItem) =>
        item.request!.method.toUpperCase() === method.toUpperCase() &&
        (item.request!.url.path ?? []).join('/') === collectionPath(path);
      const base = requests.find((item) => same(item) && !item.name.includes(FUZZ_MARK));
      if (!base) continue;
      const tests = requests.find((item) => same(item) && item.name.includes(FUZZ_MARK))?.event;
      out.push(...operationVariations(document, operation, base, tests).slice(0, perOperation));
    }
  }
  return out;
}

/** Appends the wrong-type variations to the collection, in a folder of their own; returns how many. */
export function addWrongTypeVariations(
  collection: { item: CollectionItem[] },
  document: Json,
  options: { perOperation?: number } = {},
): number {
  const variations = wrongTypeVariations(document, collection.item, options);
  if (variations.length > 0) collection.item.push({ name: 'Wrong Type Tests', item: variations });
  return variations.length;
}

/**
 * The wrong-type variations of a run that reached an operation its principal may call (a `player`
 * or `server` security scheme) and were not refused with 400 VALIDATION_FAILED naming the field:
 * a 4xx for another reason (authorization, a missing row) would hide a field the gateway accepts.
 */
export function unrefusedWrongTypes(
  document: Json,
  executions: NewmanExecution[],
  principal: string,
): Failure[] {
  const operations = operationsOf(document);
  const failures: Failure[] = [];
  for (const execution of executions) {
    const field = WRONG_TYPE_NAME.exec(execution.item.name)?.[1];
    const response = execution.response;
    // A request without an answer is already a failure of checkRun.
    if (field === undefined || !response) continue;
    const method = execution.request.method.toUpperCase();
    const path = pathOf(execution.request.url);
    const op = operations.find((o) => o.method === method && o.pattern.test(path));
    if (!op?.callers.includes(principal)) continue;
    let code: string | undefined;
    let fields: string[] = [];
    try {
      const error = (JSON.parse(bodyOf(response)) as { error?: Json }).error;
      code = typeof error?.code === 'string' ? error.code : undefined;
      fields = ((error?.details as { fields?: Array<{ field: string }> } | undefined)?.fields ?? []).map(
        (f) => f.field,
      );
    } catch {
      code = undefined;
    }
    const named = fields.some((f) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`));
    if (response.code === 400 && code === 'VALIDATION_FAILED' && named) continue;
    failures.push({
      route: op.route,
      request: execution.item.name,
      status: response.code,
      problem:
        `the wrong-type ${field} was not refused with 400 VALIDATION_FAILED naming it ` +
        `(${code ?? 'no error code'}, fields: ${fields.join(', ') || 'none'})`,
    });
  }
  return failures;
}
