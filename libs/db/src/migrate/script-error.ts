interface PgErrorFields {
  message?: string;
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
  where?: string;
}

/** A failed script's error as one line: message, SQLSTATE, line of the script, detail, hint. */
export function describeScriptError(error: unknown, script: string): string {
  const pg = error as PgErrorFields;
  const parts = [pg.message ?? String(error)];
  if (pg.code) parts.push(`(SQLSTATE ${pg.code})`);
  if (pg.position) parts.push(`at line ${lineOf(script, Number(pg.position))}`);
  if (pg.detail) parts.push(`detail: ${pg.detail}`);
  if (pg.hint) parts.push(`hint: ${pg.hint}`);
  if (pg.where) parts.push(`where: ${pg.where}`);
  return parts.join(' ');
}

// PostgreSQL reports the 1-based character offset in the statement text it received.
function lineOf(script: string, position: number): number {
  return script.slice(0, Math.max(0, position - 1)).split('\n').length;
}
