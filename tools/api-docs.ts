// `npm run docs:api`: writes the route table of docs/api.md from the operations the gateway serves
// (the same definitions as its routes and OpenAPI document), between the table's markers.
// `npm run docs:api -- --check` only says whether the file is up to date (exit code 1 if not).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GATEWAY_OPERATIONS } from '../apps/gateway/src/operations/operations.module';
import {
  routeTableMarkdown,
  SERVICE_TABLE_BEGIN,
  SERVICE_TABLE_END,
  serviceTableMarkdown,
  withGenerated,
  withRouteTable,
} from '../apps/gateway/src/operations/route-table';
import { exitWithUsageIfAsked } from './usage';

exitWithUsageIfAsked(`
Usage: npm run docs:api [-- --check]

Writes the route table of docs/api.md (method, path, principals, body fields, status, summary)
and README's "what works today" table from the operations the gateway serves. --check only
verifies both are up to date.
`);

const root = join(__dirname, '..');
const files: [string, (text: string) => string][] = [
  ['docs/api.md', (text) => withRouteTable(text, routeTableMarkdown(GATEWAY_OPERATIONS))],
  [
    'README.md',
    (text) =>
      withGenerated(text, serviceTableMarkdown(GATEWAY_OPERATIONS), SERVICE_TABLE_BEGIN, SERVICE_TABLE_END),
  ],
];
let stale = 0;
for (const [name, generate] of files) {
  const current = readFileSync(join(root, name), 'utf8');
  const next = generate(current);
  if (next === current) continue;
  stale++;
  if (process.argv.includes('--check'))
    process.stderr.write(`${name} is out of date: run npm run docs:api\n`);
  else writeFileSync(join(root, name), next);
}
if (process.argv.includes('--check') && stale > 0) process.exit(1);
process.stdout.write(
  `${GATEWAY_OPERATIONS.filter((op) => op.http).length} routes; ${stale} file(s) ${process.argv.includes('--check') ? 'stale' : 'written'}\n`,
);
