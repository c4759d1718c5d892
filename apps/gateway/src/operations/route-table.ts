import type { z } from 'zod';
import type { AnyOperation } from '@trustno1/contracts';

/** The markers between which docs/api.md holds the generated route table. */
export const ROUTE_TABLE_BEGIN =
  '<!-- routes:begin (generated from the operations by `npm run docs:api`; do not edit) -->';
export const ROUTE_TABLE_END = '<!-- routes:end -->';

/** `{a, b?}`: the fields of an object schema, optional ones marked; empty when it has none. */
function fieldsOf(schema: z.ZodType | undefined): string {
  const shape = (schema as { shape?: Record<string, z.ZodType> } | undefined)?.shape;
  if (!shape) return '';
  const names = Object.entries(shape).map(([name, field]) =>
    field.safeParse(undefined).success ? `${name}?` : name,
  );
  return names.length ? `{${names.join(', ')}}` : '';
}

/** The route table of docs/api.md: one row per operation with an HTTP binding, in path order. */
export function routeTableMarkdown(operations: readonly AnyOperation[]): string {
  const rows = operations
    .filter((op) => op.http)
    .map((op) => {
      const http = op.http!;
      const query = fieldsOf(http.query);
      const route = `\`${http.method} ${http.path}${query ? `?${query.slice(1, -1).replace(/\?/g, '').replace(/, /g, '=&')}=` : ''}\``;
      const body = fieldsOf(http.body);
      const principals = op.principals.map((kind) => (kind === 'anonymous' ? 'nobody' : kind)).join(', ');
      return {
        key: `${http.path} ${http.method}`,
        line: `| ${route} | ${principals} | ${body ? `\`${body}\`` : ''} | ${http.status} | ${http.summary} |`,
      };
    })
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((row) => row.line);
  return [
    ROUTE_TABLE_BEGIN,
    '| route | principal | body | status | what it does |',
    '|---|---|---|---|---|',
    ...rows,
    ROUTE_TABLE_END,
  ].join('\n');
}

/** `document` with its generated route table replaced by `table`; throws when the markers are missing. */
export function withRouteTable(document: string, table: string): string {
  const begin = document.indexOf(ROUTE_TABLE_BEGIN);
  const end = document.indexOf(ROUTE_TABLE_END);
  if (begin < 0 || end < begin) throw new Error('docs/api.md has no route table markers');
  return document.slice(0, begin) + table + document.slice(end + ROUTE_TABLE_END.length);
}
