// `npm run db:check`: proves that the functions, views and triggers of DATABASE_URL are exactly
// what prisma/sql defines, and that its schemas, tables and functions have the owners and grants
// the sources give them (libs/db/src/migrate/drift.ts). Builds the reference in a scratch
// database on the same server (or on DB_CHECK_SCRATCH_URL's), reads the checked database only.
// Exit code 1, naming each object, on any difference.
//
// Imported by path, like tools/migrate.ts: checking must not load the generated Prisma client.
import { checkProcedureDrift } from '../libs/db/src/migrate/drift';
import { redactUrl } from '../libs/db/src/migrate/migrator';
import { exitWithUsageIfAsked } from './usage';

exitWithUsageIfAsked(`
Usage: npm run db:check

Compares every function, trigger and view of DATABASE_URL with a scratch database built from
prisma/migrations and prisma/sql, and names each one that differs. Exit code 1 on any difference.

Environment: DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/trustno1),
             DB_CHECK_SCRATCH_URL (another server of the same PostgreSQL major version for the scratch database)
`);

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/trustno1';

async function main(): Promise<number> {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const { problems, compared } = await checkProcedureDrift(databaseUrl, {
    scratchUrl: process.env.DB_CHECK_SCRATCH_URL || undefined,
  });
  const where = redactUrl(databaseUrl);
  if (problems.length === 0) {
    console.log(
      `${where} holds exactly what prisma/sql defines: ${compared.function} functions, ` +
        `${compared.trigger} triggers, ${compared.view} views; ${compared.schema} schemas and ` +
        `${compared.table} tables with their owners and grants.`,
    );
    return 0;
  }
  console.error(`${where} differs from prisma/sql (${problems.length} problem(s)):`);
  for (const problem of problems) console.error(`- [${problem.kind}] ${problem.message}`);
  return 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`db:check failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 2;
  },
);
