// `npm run nats:config`: writes the NATS users and their permissions (the `authorization` block
// every NATS server of the platform includes) from libs/bus/src/nats-users.ts and the operations
// of libs/contracts. `-- --check` only says whether the files are up to date (exit code 1 if not).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NATS_AUTH_FILES } from './nats/auth-files';
import { exitWithUsageIfAsked } from './usage';

exitWithUsageIfAsked(`
Usage: npm run nats:config [-- --check]

Writes ${NATS_AUTH_FILES.map((f) => f.path).join(' and ')}: one NATS user per app, the game-server
user (only the request subjects a server may call) and the operators' user, from the operations
of libs/contracts. --check only verifies both files are up to date.
`);

const root = join(__dirname, '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const file of NATS_AUTH_FILES) {
  const path = join(root, file.path);
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // missing: stale
  }
  const next = file.render();
  if (next === current) continue;
  stale++;
  if (check) process.stderr.write(`${file.path} is out of date: run npm run nats:config\n`);
  else writeFileSync(path, next);
}
process.stdout.write(`${NATS_AUTH_FILES.length} file(s), ${stale} ${check ? 'stale' : 'written'}\n`);
if (check && stale > 0) process.exit(1);
