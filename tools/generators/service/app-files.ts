/**
 * The files of a new service app, one function per file. The example feature is `status`: the
 * operation `<name>.status.get.v1` (GET /v1/<name>/status, servers and admins) reads the service's
 * SQL function `<name>.status()`, so every tier of the template is exercised on real code.
 */
import type { ServiceNames } from './names';

export function projectJson({ name, description }: ServiceNames, tags: string[]): string {
  const target = (command: string, continuous: boolean, extra: Record<string, unknown> = {}) => ({
    executor: 'nx:run-commands',
    ...(continuous ? { continuous: true } : {}),
    ...extra,
    options: { command, cwd: '{workspaceRoot}' },
  });
  return JSON.stringify(
    {
      name,
      $schema: '../../node_modules/nx/schemas/project-schema.json',
      sourceRoot: `apps/${name}/src`,
      projectType: 'application',
      tags,
      metadata: { description },
      targets: {
        serve: target(`node --watch -r @swc-node/register apps/${name}/src/main.ts`, true),
        start: target(`node --enable-source-maps dist/apps/${name}/src/main.js`, true, { dependsOn: [] }),
        test: target(`npx jest apps/${name}/ --passWithNoTests`, false),
      },
    },
    null,
    2,
  );
}

export function mainTs({ name, className }: ServiceNames): string {
  return `import { loadConfigOrExit } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';
import { ${name}ConfigSchema } from './${name}-config';
import { ${className}Module } from './${name}.module';

const config = loadConfigOrExit(${name}ConfigSchema, '${name}');

// Health (/health/live, /health/ready: PostgreSQL, Redis, NATS), metrics, the NATS server with
// sealed principals and the graceful shutdown all come from startService.
startService({ app: '${name}', config, natsServer: true, imports: [${className}Module] }).catch(
  exitOnStartupFailure('${name}'),
);
`;
}

export function appModuleTs({ name, className }: ServiceNames): string {
  return `import { Module } from '@nestjs/common';
import { StatusModule } from './status/status.module';

/** The ${name} service: one module per feature folder. */
@Module({ imports: [StatusModule] })
export class ${className}Module {}
`;
}

export function configTs({ name }: ServiceNames): string {
  return `import { serviceConfigSchema, type z } from '@trustno1/config';

/**
 * The ${name} app's environment: the service base (DATABASE_URL, REDIS_URL, NATS_URL, HEALTH_PORT,
 * LOG_LEVEL, …). A variable of its own is added here with \`.extend({...})\`, validated at start-up
 * and named in the message when invalid.
 */
export const ${name}ConfigSchema = serviceConfigSchema('${name}');

export type ${name.charAt(0).toUpperCase() + name.slice(1)}Config = z.infer<typeof ${name}ConfigSchema>;
`;
}

export function configSpecTs({ name, port }: ServiceNames): string {
  return `import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '@trustno1/config';
import { ${name}ConfigSchema } from './${name}-config';

describe('${name} config', () => {
  it('defaults HEALTH_PORT to ${port}', () => {
    assert.equal(loadConfig(${name}ConfigSchema, {}).HEALTH_PORT, ${port});
  });

  it('names HEALTH_PORT when it is invalid', () => {
    assert.throws(
      () => loadConfig(${name}ConfigSchema, { HEALTH_PORT: 'eighty' }),
      (error: unknown) => error instanceof ConfigError && error.message.includes('HEALTH_PORT'),
    );
  });
});
`;
}

export function statusModuleTs(): string {
  return `import { Module } from '@nestjs/common';
import { StatusController } from './status.controller';
import { StatusRepository } from './status.repository';
import { StatusService } from './status.service';

@Module({ controllers: [StatusController], providers: [StatusService, StatusRepository] })
export class StatusModule {}
`;
}

export function statusControllerTs({ className }: ServiceNames): string {
  return `import { Controller } from '@nestjs/common';
import { Handle } from '@trustno1/bus';
import { ${className}Ops } from '@trustno1/contracts';
import { StatusService } from './status.service';

/** The kit parses the request, checks the principal and answers errors; the handler calls the domain. */
@Controller()
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Handle(${className}Ops.getStatus)
  get() {
    return this.status.get();
  }
}
`;
}

export function statusServiceTs({ className }: ServiceNames): string {
  return `import { Injectable } from '@nestjs/common';
import type { ${className}StatusView } from '@trustno1/contracts';
import { StatusRepository, type StatusRow } from './status.repository';

@Injectable()
export class StatusService {
  constructor(private readonly repository: StatusRepository) {}

  async get(): Promise<${className}StatusView> {
    return statusView(await this.repository.read());
  }
}

/** The row of the SQL function as the API shows it. */
export function statusView(row: StatusRow): ${className}StatusView {
  return {
    service: row.service,
    schema: row.schema_name,
    functions: row.functions,
    databaseTime: row.database_time.toISOString(),
  };
}
`;
}

export function statusRepositoryTs({ name }: ServiceNames): string {
  return `import { Injectable } from '@nestjs/common';
import { PrismaClient } from '@trustno1/db';

export interface StatusRow {
  service: string;
  schema_name: string;
  functions: number;
  database_time: Date;
}

/** The only place of the feature that speaks SQL: one call of the owner's published function. */
@Injectable()
export class StatusRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async read(): Promise<StatusRow> {
    const [row] = await this.prisma.$queryRaw<StatusRow[]>\`
      SELECT service, schema_name, functions, database_time FROM ${name}.status()\`;
    return row;
  }
}
`;
}

export function statusSpecTs({ name, className }: ServiceNames): string {
  return `import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { ${className}Ops } from '@trustno1/contracts';
import type { StatusRepository } from './status.repository';
import { StatusService, statusView } from './status.service';

const row = {
  service: '${name}',
  schema_name: '${name}',
  functions: 1,
  database_time: new Date('2026-01-02T03:04:05.000Z'),
};

describe('${name} status', () => {
  it('shows the SQL function\\'s row as the operation\\'s reply', () => {
    const view = statusView(row);
    assert.deepEqual(view, {
      service: '${name}',
      schema: '${name}',
      functions: 1,
      databaseTime: '2026-01-02T03:04:05.000Z',
    });
    assert.ok(${className}Ops.getStatus.reply.safeParse(view).success);
  });

  it('reads through the repository', async () => {
    const repository = { read: async () => row } as unknown as StatusRepository;
    assert.equal((await new StatusService(repository).get()).service, '${name}');
  });

  it('admits servers and admins only, and takes no query fields', () => {
    assert.deepEqual([...${className}Ops.getStatus.principals], ['server', 'admin']);
    assert.equal(${className}Ops.getStatus.request.safeParse({ extra: 1 }).success, false);
  });
});
`;
}

export function statusIntSpecTs({ name }: ServiceNames): string {
  return `import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { Pool } from 'pg';
import { createPrismaClient, type PrismaClient } from '@trustno1/db';
import { createTestDatabase, type TestDatabase } from '@trustno1/testing';
import { StatusRepository } from './status.repository';

describe('${name}.status() on a migrated database', () => {
  let db: TestDatabase;
  let pool: Pool;
  let prisma: PrismaClient;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new Pool({ connectionString: db.url, max: 1 });
    prisma = createPrismaClient(pool);
  });
  afterAll(async () => {
    await prisma?.$disconnect();
    await pool?.end();
    await db?.drop();
  });

  it('answers one row naming the service, its schema and its functions', async () => {
    const row = await new StatusRepository(prisma).read();
    assert.equal(row.service, '${name}');
    assert.equal(row.schema_name, '${name}');
    assert.ok(row.functions >= 1, 'status() itself lives in the schema');
    assert.ok(Math.abs(row.database_time.getTime() - Date.now()) < 60_000);
  });
});
`;
}

export function statusE2eSpecTs({ name }: ServiceNames): string {
  return `import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import {
  call,
  codeOf,
  fieldsOf,
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY,
  type TestCluster,
} from '@trustno1/testing';

interface StatusBody {
  service: string;
  schema: string;
  functions: number;
}

describe('GET /v1/${name}/status through the gateway', () => {
  let cluster: TestCluster;
  let server: Record<string, string>;
  let player: Record<string, string>;

  beforeAll(async () => {
    // accounts authenticates server keys and sessions; the gateway routes to ${name} over NATS.
    cluster = await startCluster(['accounts', '${name}', 'gateway']);
    server = (await registerServer(cluster.url, TEST_ADMIN_KEY)).headers;
    player = (await signUp(cluster.url)).headers;
  });
  afterAll(() => cluster?.stop());

  const get = (path: string, headers: Record<string, string>) =>
    call<StatusBody>(cluster.url, 'GET', path, { headers });

  it('answers a game server and an admin with the service\\'s status', async () => {
    for (const headers of [server, { 'x-admin-key': TEST_ADMIN_KEY }]) {
      const reply = await get('/v1/${name}/status', headers);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      assert.equal(reply.body.service, '${name}');
      assert.equal(reply.body.schema, '${name}');
      assert.ok(reply.body.functions >= 1);
    }
  });

  it('refuses nobody with 401 and a player with 403', async () => {
    const anonymous = await get('/v1/${name}/status', {});
    assert.deepEqual([anonymous.status, codeOf(anonymous)], [401, 'UNAUTHENTICATED']);
    const refused = await get('/v1/${name}/status', player);
    assert.deepEqual([refused.status, codeOf(refused)], [403, 'FORBIDDEN']);
  });

  it('refuses an unknown query field with 400 naming it; the service answers the next call', async () => {
    const bad = await get('/v1/${name}/status?verbose=1', server);
    assert.deepEqual([bad.status, codeOf(bad), fieldsOf(bad)], [400, 'VALIDATION_FAILED', ['verbose']]);
    assert.equal((await get('/v1/${name}/status', server)).status, 200);
  });
});
`;
}

export function contractTs({ name, className }: ServiceNames): string {
  return `/**
 * ${className} domain contract: subjects, payload schemas, views and error codes of the ${name}
 * service, one definition per operation. Generated with its example operation (the service's
 * status); the domain's own operations join \`${className}Ops\` as its issue lands.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors';
import { defineOperation } from './operation';

/**
 * The codes the ${name} SQL functions raise (raise_error in prisma/sql/${name}/), each the API error
 * of the same name. With the first code, list this object in OWNER_ERRORS of libs/db's
 * procedure-sources spec; until then a procedure file raising any code fails that spec.
 */
export const ${className}Errors = {} as const satisfies { [K in ErrorCode]?: K };

export const ${name}StatusQuery = z.strictObject({});
export const ${name}StatusRequest = ${name}StatusQuery;

export const ${name}StatusView = z.object({
  service: z.string(),
  /** The PostgreSQL schema the service owns. */
  schema: z.string(),
  /** How many functions the schema publishes. */
  functions: z.int(),
  databaseTime: z.string(),
});
export type ${className}StatusView = z.infer<typeof ${name}StatusView>;

export const ${className}Subjects = {
  getStatus: '${name}.status.get.v1',
} as const;

const TAG = '${name}';

export const ${className}Ops = {
  getStatus: defineOperation({
    subject: ${className}Subjects.getStatus,
    request: ${name}StatusRequest,
    reply: ${name}StatusView,
    principals: ['server', 'admin'],
    idempotent: false,
    errors: [],
    http: {
      method: 'GET',
      path: '/v1/${name}/status',
      query: ${name}StatusQuery,
      status: 200,
      tag: TAG,
      summary: 'The ${name} service as its database sees it: its schema and how many functions it publishes',
    },
  }),
} as const;
`;
}

export function sqlFile({ name }: ServiceNames): string {
  return `-- ${name}: the service's status, the example operation of its template (${name}.status.get.v1).
-- Every function the ${name} service publishes lives in its own schema; another service calls
-- them, it never touches the schema's tables.

CREATE SCHEMA IF NOT EXISTS ${name};

CREATE OR REPLACE FUNCTION ${name}.status()
RETURNS TABLE (service text, schema_name text, functions integer, database_time timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT '${name}'::text,
           '${name}'::text,
           (SELECT count(*)::integer
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = '${name}'),
           now();
$$;
`;
}

export function workerJobsTs({ name, className }: ServiceNames): string {
  return `import { Module } from '@nestjs/common';

/**
 * The ${name} domain's jobs, beside each other in the worker: a processor is an @Injectable that
 * registers in onModuleInit (\`registry.registerQueue(queue, fn, Owner.name)\` or
 * \`registry.registerSchedule(name, fn, Owner.name)\`) and calls the ${name} service over NATS, which
 * owns the logic and the tables. Add it to the providers below; the worker refuses to boot when a
 * served queue or an enabled schedule has no processor or two.
 */
@Module({ providers: [] })
export class ${className}JobsModule {}
`;
}

export function featureDoc({ name, className }: ServiceNames): string {
  return `# ${name}

The ${name} service (\`apps/${name}\`), generated by \`nx g @trustno1/generators:service ${name}\`.
See docs/adding-a-service.md for how each piece fits.

| piece | where |
|---|---|
| operations (\`${className}Ops\`) and error codes (\`${className}Errors\`) | \`libs/contracts/src/${name}.ts\` |
| SQL functions (schema \`${name}\`) | \`prisma/sql/${name}/\` |
| handlers, services, repositories | \`apps/${name}/src/<feature>/\` |
| config | \`apps/${name}/src/${name}-config.ts\` |
| jobs and schedules | \`apps/worker/src/${name}/${name}-jobs.module.ts\` |
`;
}
