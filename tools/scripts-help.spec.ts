/**
 * Issue 10: every `npm run` script answers `--help` with its usage, exit code 0 and no stack
 * trace, without doing its work (no build, no migration, no test run).
 */
import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const scripts = Object.keys(
  (JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts,
);

function help(script: string): Promise<{ code: number | null; out: string }> {
  return new Promise((done) => {
    const child = spawn('npm', ['run', '-s', script, '--', '--help'], { cwd: ROOT, env: process.env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => done({ code, out }));
  });
}

describe('npm run <script> -- --help', () => {
  it('lists the scripts README documents', () => {
    for (const name of ['dev', 'start', 'test', 'db:migrate', 'db:check', 'bench', 'load', 'build'])
      assert.ok(scripts.includes(name), name);
  });

  it.each(scripts)('%s prints its usage and exits 0', async (script) => {
    const { code, out } = await help(script);
    assert.equal(code, 0, out);
    assert.match(out, /usage|\[options\]|COMMON COMMANDS/i);
    assert.doesNotMatch(out, /\n\s+at .+:\d+:\d+/, 'a stack trace');
  });
});
