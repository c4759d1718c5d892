// `npm run build`: compiles apps and libs with tsc into dist/, then makes each `@trustno1/<lib>`
// alias resolvable at run time through dist/node_modules (tsc keeps path aliases as written).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(
    'Usage: npm run build\n\nCompiles apps and libs with tsc (tsconfig.build.json) into dist/ and makes each\n' +
      '@trustno1/<lib> alias resolvable there; `npm start` runs the result.\n',
  );
  process.exit(0);
}

const root = join(import.meta.dirname, '..');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

const { paths } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
// Only the libs are built; tool aliases (the local Nx generators) are not run from dist/.
const built = Object.entries(paths).filter(([, [target]]) => target.startsWith('libs/'));
for (const [alias, [target]] of built) {
  const dir = join(root, 'dist/node_modules', alias);
  mkdirSync(dir, { recursive: true });
  const compiled = target.replace(/\.ts$/, '.js');
  const compiledPath = relative(dir, join(root, 'dist', compiled));
  writeFileSync(join(dir, 'index.js'), `module.exports = require(${JSON.stringify(compiledPath)});\n`);
}
process.stdout.write(`built ${built.length} libs and the apps into dist/\n`);
