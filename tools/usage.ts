/**
 * `npm run <script> -- --help` (or `-h`): prints the script's usage and exits 0 before it touches
 * anything. Every script README lists answers it (tools/scripts-help.int.spec.ts).
 */
export function exitWithUsageIfAsked(usage: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (!argv.includes('--help') && !argv.includes('-h')) return;
  process.stdout.write(`${usage.trim()}\n`);
  process.exit(0);
}
