/**
 * Judges a Newman run of the Portman collection against the OpenAPI document it came from: every
 * response has a status the operation documents and no 5xx, every fuzzed variation gets a 4xx,
 * every JSON body matches the schema documented for its status, and Portman's own assertions hold
 * where they apply (they target the success response, or 400 for a variation). Pure: it reads a
 * Newman JSON report (`run.executions`), so a recorded report is enough to test it.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

/** One request of a Newman JSON report, as serialised by its JSON reporter. */
export interface NewmanExecution {
  item: { name: string };
  request: { method: string; url: { path?: string[]; raw?: string } | string };
  response?: {
    code: number;
    header?: Array<{ key: string; value: string }>;
    stream?: { type: 'Buffer'; data: number[] } | string;
  };
  assertions?: Array<{ assertion: string; error?: { message: string } }>;
  requestError?: { message: string };
}

export interface Failure {
  /** `METHOD /path/{template}` of the operation. */
  route: string;
  request: string;
  status: number | null;
  problem: string;
}

export interface CheckResult {
  requests: number;
  assertions: number;
  variations: number;
  statuses: Record<string, number>;
  failures: Failure[];
}

export interface Operation {
  route: string;
  pattern: RegExp;
  method: string;
  /** The security schemes that may call it (`player`, `server`, `admin`); empty: anyone. */
  callers: string[];
  responses: Record<string, { content?: Record<string, { schema?: Json }> }>;
}

/** Portman names each fuzzed request `<summary>[<variation>][<what was broken>]`. */
export const FUZZ_MARK = '[Fuzz]';

/** The operations of the document, each with a pattern its concrete paths match. */
export function operationsOf(document: Json): Operation[] {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>;
  const out: Operation[] = [];
  for (const [path, methods] of Object.entries(paths)) {
    const pattern = new RegExp(
      `^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`,
    );
    for (const [method, op] of Object.entries(methods)) {
      out.push({
        route: `${method.toUpperCase()} ${path}`,
        pattern,
        method: method.toUpperCase(),
        callers: ((op.security ?? []) as Json[]).flatMap((scheme) => Object.keys(scheme)),
        responses: (op.responses ?? {}) as Operation['responses'],
      });
    }
  }
  // Literal segments before templated ones: `/v1/players/states` before `/v1/players/{id}`.
  const templates = (o: Operation) => o.pattern.source.split('[^/]+').length;
  return out.sort((a, b) => templates(a) - templates(b));
}

export function pathOf(url: NewmanExecution['request']['url']): string {
  if (typeof url === 'string') return new URL(url, 'http://x').pathname;
  if (url.path) return `/${url.path.join('/')}`;
  return new URL(url.raw ?? '/', 'http://x').pathname;
}

export function bodyOf(response: NonNullable<NewmanExecution['response']>): string {
  const stream = response.stream;
  if (stream === undefined) return '';
  if (typeof stream === 'string') return stream;
  return Buffer.from(stream.data).toString('utf8');
}

function headerOf(response: NonNullable<NewmanExecution['response']>, name: string): string | undefined {
  return response.header?.find((h) => h.key.toLowerCase() === name)?.value;
}

/** Replaces `#/components/schemas/X` references so each schema validates on its own. */
function inlineRefs(schema: unknown, components: Json): unknown {
  if (Array.isArray(schema)) return schema.map((s) => inlineRefs(s, components));
  if (schema === null || typeof schema !== 'object') return schema;
  const ref = (schema as Json).$ref;
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/'))
    return inlineRefs(components[ref.slice('#/components/schemas/'.length)], components);
  return Object.fromEntries(
    Object.entries(schema as Json).map(([key, value]) => [key, inlineRefs(value, components)]),
  );
}

export function checkRun(document: Json, executions: NewmanExecution[]): CheckResult {
  const operations = operationsOf(document);
  const components = ((document.components as Json | undefined)?.schemas ?? {}) as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true });
  addFormats(ajv);
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const validatorFor = (key: string, schema: Json) => {
    let found = validators.get(key);
    if (!found) {
      found = ajv.compile(inlineRefs(schema, components) as Json);
      validators.set(key, found);
    }
    return found;
  };

  const result: CheckResult = { requests: 0, assertions: 0, variations: 0, statuses: {}, failures: [] };
  for (const execution of executions) {
    result.requests += 1;
    const name = execution.item.name;
    const fuzzed = name.includes(FUZZ_MARK);
    if (fuzzed) result.variations += 1;
    const method = execution.request.method.toUpperCase();
    const path = pathOf(execution.request.url);
    const op = operations.find((o) => o.method === method && o.pattern.test(path));
    const fail = (status: number | null, problem: string) =>
      result.failures.push({ route: op?.route ?? `${method} ${path}`, request: name, status, problem });
    const response = execution.response;
    if (!response) {
      fail(null, `no response: ${execution.requestError?.message ?? 'unknown error'}`);
      continue;
    }
    const status = response.code;
    result.statuses[status] = (result.statuses[status] ?? 0) + 1;
    if (!op) {
      fail(status, 'the request matches no operation of the document');
      continue;
    }
    if (status >= 500) fail(status, `server error ${status}: ${bodyOf(response).slice(0, 300)}`);
    else if (fuzzed && (status < 400 || status >= 500))
      fail(status, `a fuzzed request was accepted with ${status}, not refused with a 4xx`);
    const documented = op.responses[String(status)];
    if (!documented) {
      fail(
        status,
        `status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`,
      );
    } else {
      const schema = documented.content?.['application/json']?.schema;
      const body = bodyOf(response);
      if (schema) {
        const type = headerOf(response, 'content-type') ?? '';
        if (!type.includes('application/json')) fail(status, `content-type ${type || 'missing'}, not JSON`);
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          fail(status, `the body is not JSON: ${body.slice(0, 200)}`);
          parsed = undefined;
        }
        if (parsed !== undefined) {
          const validate = validatorFor(`${op.route} ${status}`, schema);
          if (!validate(parsed))
            fail(
              status,
              `the body does not match the ${status} schema: ${ajv.errorsText(validate.errors, { separator: '; ' })}`,
            );
        }
      } else if (body.length > 0 && status !== 204 && documented.content === undefined) {
        // A documented answer without content: a body is tolerated only when it is empty.
        fail(status, `a body where the document declares none: ${body.slice(0, 200)}`);
      }
    }
    // Portman's assertions target the success response (2xx), or 400 for a fuzzed variation.
    const portmanTarget = fuzzed ? status === 400 : status >= 200 && status < 300;
    for (const assertion of execution.assertions ?? []) {
      result.assertions += 1;
      if (assertion.error && portmanTarget)
        fail(status, `assertion "${assertion.assertion}": ${assertion.error.message}`);
    }
  }
  return result;
}

/** The failures grouped by route, for the summary a person reads. */
export function renderSummary(label: string, result: CheckResult): string {
  const lines = [
    `${label}: ${result.requests} requests (${result.variations} fuzzed), ${result.assertions} Portman assertions, ` +
      `${result.failures.length} failures; statuses ${JSON.stringify(result.statuses)}`,
  ];
  const byRoute = new Map<string, Failure[]>();
  for (const failure of result.failures)
    byRoute.set(failure.route, [...(byRoute.get(failure.route) ?? []), failure]);
  for (const [route, failures] of [...byRoute].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${route}: ${failures.length}`);
    for (const f of failures.slice(0, 5)) lines.push(`    [${f.status ?? '-'}] ${f.request}: ${f.problem}`);
    if (failures.length > 5) lines.push(`    … ${failures.length - 5} more`);
  }
  return lines.join('\n');
}
