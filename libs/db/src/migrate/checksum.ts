import { createHash } from 'node:crypto';

/**
 * The checksum `prisma migrate deploy` records for a migration script: lowercase hex SHA-256 of
 * the migration.sql bytes (prisma-engines, schema-connector `checksum.rs`, `render_checksum`).
 */
export function migrationChecksum(script: string | Buffer): string {
  return createHash('sha256').update(script).digest('hex');
}

/**
 * Whether a script matches a recorded checksum the way Prisma decides it: line endings may have
 * been converted by git (LF <-> CRLF), and rows written by old Prisma versions hold hex digests
 * whose bytes were not zero-padded (prisma-engines issue 1887).
 */
export function checksumMatches(script: string, recorded: string): boolean {
  const variants = [script, script.replace(/\r\n/g, '\n'), script.replace(/\n/g, '\r\n')];
  return variants.some((variant) => {
    const digest = createHash('sha256').update(variant).digest();
    return formatDigest(digest, recorded.length !== 64) === recorded;
  });
}

function formatDigest(digest: Buffer, legacyUnpadded: boolean): string {
  if (!legacyUnpadded) return digest.toString('hex');
  return Array.from(digest, (byte) => byte.toString(16)).join('');
}
