import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { migrationChecksum } from './checksum';

/** One `prisma/migrations/<timestamp>_<name>/migration.sql` directory, read from disk. */
export interface LocalMigration {
  name: string;
  script: string;
  checksum: string;
}

const SCRIPT_FILE = 'migration.sql';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Finds `prisma/migrations` above `start` (the workspace root), so the applier works from the
 * sources and from a build output alike.
 */
export function findMigrationsDir(start: string = __dirname): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) {
      throw new Error(`No prisma/migrations directory found above ${start}; pass migrationsDir`);
    }
  }
}

/** Every migration directory, in the lexical order Prisma applies them. */
export function readMigrations(migrationsDir: string): LocalMigration[] {
  if (!existsSync(migrationsDir)) {
    throw new Error(`Migrations directory ${migrationsDir} does not exist`);
  }
  return readdirSync(migrationsDir)
    .filter((entry) => statSync(join(migrationsDir, entry)).isDirectory())
    .sort()
    .map((name) => readMigration(migrationsDir, name));
}

function readMigration(migrationsDir: string, name: string): LocalMigration {
  const file = join(migrationsDir, name, SCRIPT_FILE);
  if (!existsSync(file)) {
    throw new Error(`Migration ${name} has no ${SCRIPT_FILE} (${file})`);
  }
  const bytes = readFileSync(file);
  return { name, script: decode(bytes, name), checksum: migrationChecksum(bytes) };
}

// Prisma reads scripts as UTF-8 text and rejects anything else; hashing the raw bytes is only
// the same as hashing that text when the bytes are valid UTF-8 (a BOM included, as Prisma does).
function decode(bytes: Buffer, name: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Error(`Migration ${name}: ${SCRIPT_FILE} is not valid UTF-8`);
  }
}
