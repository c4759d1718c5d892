// Lints an OpenAPI document the way client generators will read it: swagger-parser's validation
// and Redocly's `recommended` rules. `node tools/lint-openapi.mjs <file.json | http://…/docs/openapi.json>`
// prints one JSON report ({ swaggerParser, redocly: { errors, warnings } }) and exits 1 on any
// error. The gateway's e2e spec runs it on the served document.
import { readFile } from 'node:fs/promises';
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
console.log(JSON.stringify({ swaggerParser, redocly }, null, 2));
process.exit(swaggerParser === null && redocly.errors.length === 0 ? 0 : 1);
