/**
 * `npm run bench`: measures each hot operation through the product beside the same work done raw,
 * in one run on one machine, and prints ops/s, p50, p99 and the ratio to raw (SPEC §10).
 * Sizes: BENCH_ITERATIONS (default 5000) and BENCH_CONCURRENCY (default 16); suite names as
 * arguments run only those suites.
 */
import { exitWithUsageIfAsked } from '../tools/usage';
import { benchContext } from './lib/context';
import { authenticatedNatsForRun } from './lib/nats';
import { renderTable, type BenchRow } from './lib/table';
import { accountsRows } from './accounts.bench';
import { combatRows } from './combat.bench';
import { factionsRows } from './factions.bench';
import { platformRows } from './platform.bench';
import { presenceRows } from './presence.bench';
import { inventoryRows } from './inventory.bench';
import { marketRows } from './market.bench';
import { leaderboardsRows } from './leaderboards.bench';
import { prismaRows } from './prisma.bench';
import { worldRows } from './world.bench';

const SUITES: Array<[string, (ctx: ReturnType<typeof benchContext>) => Promise<BenchRow[]>]> = [
  ['platform', platformRows],
  ['accounts', accountsRows],
  ['presence', presenceRows],
  ['inventory', inventoryRows],
  ['prisma', prismaRows],
  ['world', worldRows],
  ['combat', combatRows],
  ['market', marketRows],
  ['factions', factionsRows],
  ['leaderboards', leaderboardsRows],
];

exitWithUsageIfAsked(`
Usage: npm run bench [-- <suite> ...]

Each hot operation through the product beside the same work done raw, in one run: ops/s, p50,
p99, the ratio to raw, refusals, and CPU milliseconds per operation by process.

Suites: ${SUITES.map(([name]) => name).join(', ')} (default: all)
Environment: BENCH_ITERATIONS (default 5000), BENCH_CONCURRENCY (default 16),
             TN1_CPU_PROF_DIR (write a V8 CPU profile of every app started)
`);

async function main(): Promise<void> {
  const stopNats = await authenticatedNatsForRun();
  const ctx = benchContext();
  // `npm run bench -- inventory world`: only the named suites.
  const only = process.argv.slice(2);
  const unknown = only.filter((name) => !SUITES.some(([suite]) => suite === name));
  if (unknown.length > 0) throw new Error(`unknown bench suite(s): ${unknown.join(', ')}`);
  process.stdout.write(`# bench: ${ctx.iterations} operations per row, concurrency ${ctx.concurrency}\n`);
  const rows: BenchRow[] = [];
  for (const [name, suite] of SUITES.filter(([suite]) => only.length === 0 || only.includes(suite))) {
    process.stdout.write(`# running ${name}\n`);
    rows.push(...(await suite(ctx)));
  }
  process.stdout.write(`\n${renderTable(rows)}\n`);
  await stopNats();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
