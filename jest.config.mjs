// @ts-check
// `npm test`: Jest with the SWC transform, one project per tier. The tier is in the file name:
// `*.spec.ts` unit (no infrastructure), `*.int.spec.ts` integration (PostgreSQL, Redis, NATS),
// `*.e2e.spec.ts` end to end (the apps as processes). The two tiers with infrastructure share one
// global setup that finds it and migrates the template database every spec file clones.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const rootDir = fileURLToPath(new URL('.', import.meta.url));

// The suite always runs as the apps' test environment, whatever the shell exported.
process.env.NODE_ENV = 'test';

/** `@trustno1/<lib>` resolves as in tsconfig.base.json, the one list of path aliases. */
const { paths } = JSON.parse(readFileSync(new URL('./tsconfig.base.json', import.meta.url), 'utf8'))
  .compilerOptions;
const moduleNameMapper = Object.fromEntries(
  Object.entries(paths)
    .filter(([alias]) => alias.startsWith('@trustno1/'))
    .map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

/** The same TypeScript output as @swc-node/register gives the apps (tsconfig.base.json). */
const swc = {
  swcrc: false,
  sourceMaps: 'inline',
  module: { type: 'commonjs' },
  jsc: {
    target: 'es2022',
    keepClassNames: true,
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: true },
  },
};

/**
 * NestJS 12 ships ES modules only. Node 20 loads them from CommonJS natively, Jest's module
 * registry cannot (before Node 24.9), so they go through SWC into CommonJS like our own code.
 */
const ESM_ONLY = ['@nestjs'];
const swcJs = { ...swc, jsc: { ...swc.jsc, parser: { syntax: 'ecmascript' } } };

/** Generous: end-to-end tests boot processes and race hundreds of requests on a small machine. */
const testTimeout = 300_000;

/** @type {import('jest').Config} */
const shared = {
  rootDir,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools'],
  testEnvironment: '<rootDir>/tools/jest/environment.ts',
  injectGlobals: false,
  transform: { '^.+\\.ts$': ['@swc/jest', swc], '^.+\\.m?js$': ['@swc/jest', swcJs] },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  moduleNameMapper,
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout,
  // Jest reaches the sandbox's globals through a proxy: a hot loop over Math runs 100 times slower.
  sandboxInjectedGlobals: ['Math'],
};

/** @type {import('jest').Config} */
const infrastructure = {
  globalSetup: '<rootDir>/tools/jest/global-setup.ts',
  globalTeardown: '<rootDir>/tools/jest/global-teardown.ts',
};

/** @type {import('jest').Config} */
export default {
  rootDir,
  maxWorkers: Number(process.env.TEST_CONCURRENCY || 2),
  testTimeout,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: [...(shared.testPathIgnorePatterns ?? []), '\\.(int|e2e)\\.spec\\.ts$'],
    },
    { ...shared, ...infrastructure, displayName: 'integration', testMatch: ['**/*.int.spec.ts'] },
    { ...shared, ...infrastructure, displayName: 'e2e', testMatch: ['**/*.e2e.spec.ts'] },
  ],
};
