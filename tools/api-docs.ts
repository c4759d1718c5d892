// `npm run docs:api`: writes the route table of docs/api.md from the operations the gateway serves
// (the same definitions as its routes and OpenAPI document), between the table's markers.
// `npm run docs:api -- --check` only says whether the file is up to date (exit code 1 if not).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_OPERATIONS } from '../apps/gateway/src/operations/operations.module';
import { routeTableMarkdown, withRouteTable } from '../apps/gateway/src/operations/route-table';
import { exitWithUsageIfAsked } from './usage';

exitWithUsageIfAsked(`
Usage: npm run docs:api [-- --check]

Writes the route table of docs/api.md from the operations the gateway serves (method, path,
principals, body fields, status, summary). --check only verifies the file is up to date.
`);

const file = join(__dirname, '..', 'docs', 'api.md');
const current = readFileSync(file, 'utf8');
const next = withRouteTable(current, routeTableMarkdown(GATEWAY_OPERATIONS));
if (process.argv.includes('--check')) {
  if (next !== current) {
    process.stderr.write('docs/api.md is out of date: run npm run docs:api\n');
    process.exit(1);
  }
  process.stdout.write('docs/api.md lists every route\n');
} else {
  writeFileSync(file, next);
  process.stdout.write(`docs/api.md: ${GATEWAY_OPERATIONS.filter((op) => op.http).length} routes\n`);
}
