import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { FsTree } from 'nx/src/generators/tree';
import serviceGenerator from './generator';

const ROOT = join(__dirname, '../../..');

/** The workspace as it is on disk; every write stays in memory. */
const workspace = () => new FsTree(ROOT, false);

describe('nx g @trustno1/generators:service', () => {
  it('scaffolds a new service and puts it on every list of apps', async () => {
    const tree = workspace();
    await serviceGenerator(tree, { name: 'arena', description: 'Arenas and their matches.' });
    const created = tree
      .listChanges()
      .filter((c) => c.type === 'CREATE')
      .map((c) => c.path);
    for (const path of [
      'apps/arena/project.json',
      'apps/arena/src/main.ts',
      'apps/arena/src/arena.module.ts',
      'apps/arena/src/arena-config.ts',
      'apps/arena/src/status/status.controller.ts',
      'apps/arena/src/status/status.service.ts',
      'apps/arena/src/status/status.repository.ts',
      'apps/arena/src/status/status.spec.ts',
      'apps/arena/src/status/status.repository.int.spec.ts',
      'apps/arena/src/status/status.e2e.spec.ts',
      'libs/contracts/src/arena.ts',
      'prisma/sql/arena/01_status.sql',
      'apps/worker/src/arena/arena-jobs.module.ts',
      'k8s/base/apps/arena.yaml',
    ])
      assert.ok(created.includes(path), `${path} is created`);
    const read = (path: string) => tree.read(path, 'utf-8') ?? '';
    const project = JSON.parse(read('apps/arena/project.json')) as { tags: string[] };
    assert.deepEqual(project.tags, ['type:app', 'scope:arena']);
    assert.match(read('libs/contracts/src/index.ts'), /export \* from '\.\/arena';/);
    assert.match(read('libs/contracts/src/platform.ts'), /'arena'/);
    assert.match(read('libs/config/src/apps.ts'), /arena: 3109,/);
    assert.match(
      read('apps/gateway/src/operations/operations.module.ts'),
      /operationsOf\(\s*AccountsOps,[^)]*\bSeasonsOps,\s*ArenaOps,?\s*\)/,
    );
    assert.match(read('apps/gateway/src/authorization.e2e.spec.ts'), /'GET \/v1\/arena\/status'/);
    assert.match(read('libs/db/src/migrate/repeatable.ts'), /'arena'/);
    assert.match(read('libs/testing/src/apps.ts'), /'arena'/);
    assert.match(read('apps/worker/src/jobs.ts'), /domain: 'arena', module: ArenaJobsModule/);
    assert.match(read('docker-compose.yml'), /args: \{ APP: arena \}/);
    assert.match(read('k8s/base/kustomization.yaml'), /apps\/arena\.yaml/);
    assert.match(read('k8s/base/apps/arena.yaml'), /value: '3109'/);
    assert.match(read('tools/validate-k8s.mjs'), /arena: 3109,/);
    assert.match(read('prisma/sql/arena/01_status.sql'), /CREATE SCHEMA IF NOT EXISTS arena;/);
  });

  it('changes nothing when run again over a generated service', async () => {
    const tree = workspace();
    await serviceGenerator(tree, { name: 'combat' });
    assert.deepEqual(
      tree.listChanges().map((c) => `${c.type} ${c.path}`),
      [],
    );
  });

  it('refuses a name that cannot be a folder, a subject prefix and a schema at once', async () => {
    for (const name of ['Combat', 'my-service', 'x', 'gateway']) {
      await assert.rejects(serviceGenerator(workspace(), { name }), /service name|taken by the platform/);
    }
  });
});
