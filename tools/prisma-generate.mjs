// Generates the Prisma client offline. Prisma 7 checks that a schema engine binary exists before
// generating, but generation itself never runs it (the client is built in WebAssembly), and the
// engine cannot be downloaded here: any existing file satisfies the check (SPEC §12).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(
    'Usage: npm run generate   (also run by npm install as postinstall)\n\n' +
      'Generates the Prisma client of prisma/schema.prisma into libs/db/src/generated, offline.\n',
  );
  process.exit(0);
}

const env = {
  ...process.env,
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  PRISMA_SCHEMA_ENGINE_BINARY:
    process.env.PRISMA_SCHEMA_ENGINE_BINARY && existsSync(process.env.PRISMA_SCHEMA_ENGINE_BINARY)
      ? process.env.PRISMA_SCHEMA_ENGINE_BINARY
      : process.execPath,
};
const result = spawnSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
