// Lints an OpenAPI document the way client generators will read it: swagger-parser's validation,
// Redocly's `recommended` rules through @redocly/openapi-core, and `redocly lint` of @redocly/cli
// (its own, newer rule set; telemetry and update checks off). `node tools/lint-openapi.mjs
// <file.json | http://…/docs/openapi.json>` prints one JSON report ({ swaggerParser, redocly,
// redoclyCli: { errors, warnings } }) and exits 1 on any error. The gateway's e2e spec runs it on
// the served document.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { createConfig, lintFromString } from '@redocly/openapi-core';

const target = process.argv[2];
if (!target) {
  console.error('usage: node tools/lint-openapi.mjs <file.json | url>');
  process.exit(2);
}
const source = /^https?:\/\//.test(target)
  ? await (await fetch(target)).text()
  : await readFile(target, 'utf8');

let swaggerParser = null;
try {
  await SwaggerParser.validate(JSON.parse(source));
} catch (error) {
  swaggerParser = error instanceof Error ? error.message : String(error);
}

const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source, absoluteRef: 'openapi.json', config });
const describe = (p) => ({
  rule: p.ruleId,
  message: p.message,
  at: p.location?.[0]?.pointer,
});
const redocly = {
  errors: problems.filter((p) => p.severity === 'error').map(describe),
  warnings: problems.filter((p) => p.severity === 'warn').map(describe),
};
/** `redocly lint --format=json` on the document; a CLI that fails to report counts as an error. */
function redoclyCliLint(text) {
  const dir = mkdtempSync(join(tmpdir(), 'redocly-lint-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, text);
    const cli = fileURLToPath(new URL('../node_modules/@redocly/cli/bin/cli.js', import.meta.url));
    const run = spawnSync(process.execPath, [cli, 'lint', file, '--format=json'], {
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 64 * 1024 * 1024,
    });
    let report;
    try {
      report = JSON.parse(run.stdout);
    } catch {
      return {
        errors: [{ rule: 'redocly-cli', message: `no report (exit ${run.status}): ${run.stderr}` }],
        warnings: [],
      };
    }
    return {
      errors: report.problems.filter((p) => p.severity === 'error').map(describe),
      warnings: report.problems.filter((p) => p.severity === 'warn').map(describe),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const redoclyCli = redoclyCliLint(source);
console.log(JSON.stringify({ swaggerParser, redocly, redoclyCli }, null, 2));
process.exit(swaggerParser === null && redocly.errors.length === 0 && redoclyCli.errors.length === 0 ? 0 : 1);
