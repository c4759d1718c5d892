// `npm run db:migrate`: creates the database if needed and applies prisma/migrations to
// DATABASE_URL, recording them in _prisma_migrations exactly as `prisma migrate deploy` would,
// then the changed procedure sources of prisma/sql (repeatable migrations).
// `npm run db:migrate -- --reapply` applies every procedure file again, changed or not: it puts
// back functions edited by hand in the database (`npm run db:check` finds them).
//
// Imported by path rather than through @trustno1/db on purpose: migrating must not load the
// generated Prisma client, which may not exist yet on a fresh checkout or in an init container.
import { applyMigrations, createDatabaseIfMissing, redactUrl } from '../libs/db/src/migrate/migrator';
import { exitWithUsageIfAsked } from './usage';

exitWithUsageIfAsked(`
Usage: npm run db:migrate [-- --reapply]

Creates DATABASE_URL's database when missing, applies prisma/migrations in order (recorded in
_prisma_migrations as \`prisma migrate deploy\` records them), then every changed procedure file
of prisma/sql/<owner>/ (recorded in _repeatable_migrations).

  --reapply   apply every procedure file again, changed or not (puts back functions edited by hand)

Environment: DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/trustno1)
`);

const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/trustno1';

// Connection failures come from the socket (or from every address tried, as an AggregateError).
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ECONNRESET',
]);

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (await createDatabaseIfMissing(databaseUrl)) {
    console.log(`Created database ${redactUrl(databaseUrl)}`);
  }
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--reapply');
  if (unknown.length) throw new Error(`Unknown argument ${unknown.join(' ')} (the only option is --reapply)`);
  const { applied, skipped, repeatable } = await applyMigrations({
    databaseUrl,
    reapply: args.includes('--reapply'),
    log: (line) => console.log(line),
  });
  console.log(
    applied.length
      ? `${applied.length} migration(s) applied, ${skipped.length} already applied.`
      : `Database is up to date (${skipped.length} migration(s) applied).`,
  );
  if (repeatable) {
    console.log(
      `Procedure sources: ${repeatable.applied.length} file(s) applied, ${repeatable.skipped.length} unchanged.`,
    );
  }
}

function errorCodes(error: unknown): string[] {
  const { code, errors } = error as { code?: string; errors?: unknown[] };
  return [code, ...(errors ?? []).map((inner) => (inner as { code?: string }).code)].filter(
    (value): value is string => typeof value === 'string',
  );
}

function explain(error: unknown, databaseUrl: string): string {
  const codes = errorCodes(error);
  const where = redactUrl(databaseUrl);
  if (codes.some((code) => UNREACHABLE.has(code))) {
    return (
      `PostgreSQL is unreachable at ${where} (${codes.join(', ')}).\n` +
      'Start it (e.g. `sudo service postgresql start`, or `docker compose up -d postgres`), ' +
      'or point DATABASE_URL at a running server.'
    );
  }
  if (codes.includes('28P01') || codes.includes('28000')) {
    return `PostgreSQL refused the credentials in DATABASE_URL (${where}): ${(error as Error).message}`;
  }
  return `Migration failed on ${where}: ${error instanceof Error ? error.message : String(error)}`;
}

main().catch((error: unknown) => {
  console.error(explain(error, process.env.DATABASE_URL || DEFAULT_DATABASE_URL));
  process.exitCode = 1;
});
