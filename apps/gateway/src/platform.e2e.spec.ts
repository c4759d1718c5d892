import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SERVICES } from '@trustno1/contracts';
import {
  appEnv,
  freePort,
  signUp,
  startApp,
  startCluster,
  waitReady,
  type RunningApp,
  type TestCluster,
} from '@trustno1/testing';

const LINT_OPENAPI = resolve(__dirname, '../../../tools/lint-openapi.mjs');

interface ReadyBody {
  status: string;
  checks: Record<string, { status: string }>;
  down?: string[];
}

describe('platform: every app boots, reports readiness and shuts down cleanly', () => {
  let cluster: TestCluster;
  let gateway: RunningApp;
  let services: RunningApp[];

  beforeAll(async () => {
    cluster = await startCluster([...SERVICES, 'gateway'], { BODY_LIMIT_BYTES: '4096' });
    gateway = cluster.app('gateway');
    services = SERVICES.map((name) => cluster.app(name));
  });

  afterAll(() => cluster?.stop());

  it('is ready when PostgreSQL, Redis, NATS and all six services answer', async () => {
    const body = (await waitReady(gateway.url, 200)) as ReadyBody;
    assert.equal(body.status, 'ok');
    for (const name of ['postgres', 'redis', 'nats', ...SERVICES.map((s) => `service:${s}`)]) {
      assert.equal(body.checks[name]?.status, 'up', name);
    }
    for (const app of services) await waitReady(app.url, 200);
  });

  it('serves Prometheus metrics on every app', async () => {
    for (const app of [gateway, ...services]) {
      const text = await (await fetch(`${app.url}/metrics`)).text();
      assert.match(text, new RegExp(`process_cpu_user_seconds_total\\{service="${app.name}"\\}`), app.name);
    }
  });

  it('echoes a well-formed request id and makes one otherwise', async () => {
    const given = 'req-0123456789abcdef';
    const echoed = await fetch(`${gateway.url}/health/live`, { headers: { 'x-request-id': given } });
    assert.equal(echoed.headers.get('x-request-id'), given);
    const made = await fetch(`${gateway.url}/health/live`, {
      headers: { 'x-request-id': 'bad id with spaces' },
    });
    assert.match(made.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  it('answers errors with the envelope of SPEC §7', async () => {
    const unknown = await fetch(`${gateway.url}/v1/nothing-here`);
    assert.equal(unknown.status, 404);
    const body = (await unknown.json()) as { error: { code: string; requestId: string } };
    assert.equal(body.error.code, 'NOT_FOUND');
    assert.equal(body.error.requestId, unknown.headers.get('x-request-id'));
  });

  it('answers malformed JSON with 400 and an oversize body with 413, writing nothing', async () => {
    const accountsBefore = await cluster.pool.query(`SELECT count(*)::int AS n FROM accounts`);
    const post = (body: string) =>
      fetch(`${gateway.url}/v1/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const malformed = await post('{"username": "x", ');
    assert.equal(malformed.status, 400);
    const malformedBody = (await malformed.json()) as {
      error: { code: string; details: { fields: Array<{ field: string }> } };
    };
    assert.equal(malformedBody.error.code, 'VALIDATION_FAILED');
    assert.deepEqual(
      malformedBody.error.details.fields.map((f) => f.field),
      ['(body)'],
    );
    // BODY_LIMIT_BYTES is 4096 in this cluster.
    const tooLarge = await post(
      JSON.stringify({ username: 'big_one', email: 'big@example.test', password: 'x'.repeat(8_000) }),
    );
    assert.equal(tooLarge.status, 413);
    assert.equal(((await tooLarge.json()) as { error: { code: string } }).error.code, 'PAYLOAD_TOO_LARGE');
    const accountsAfter = await cluster.pool.query(`SELECT count(*)::int AS n FROM accounts`);
    assert.equal(accountsAfter.rows[0].n, accountsBefore.rows[0].n);
  });

  it('reads an empty JSON body as no body, and still refuses prototype poisoning', async () => {
    const player = await signUp(gateway.url);
    const logout = await fetch(`${gateway.url}/v1/sessions/current`, {
      method: 'DELETE',
      headers: player.headers,
    });
    assert.equal(logout.status, 204);
    const me = await fetch(`${gateway.url}/v1/accounts/me`, { headers: player.headers });
    assert.equal(me.status, 401);

    const accountsBefore = await cluster.pool.query(`SELECT count(*)::int AS n FROM accounts`);
    const post = (body: string) =>
      fetch(`${gateway.url}/v1/accounts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const empty = await post('  ');
    assert.equal(empty.status, 400);
    const emptyBody = (await empty.json()) as { error: { code: string } };
    assert.equal(emptyBody.error.code, 'VALIDATION_FAILED');
    const poisoned = await post('{"__proto__": {"admin": true}, "username": "poison_1"}');
    assert.equal(poisoned.status, 400);
    const form = await fetch(`${gateway.url}/v1/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=form_user&email=f%40example.test&password=long-enough-pw',
    });
    assert.equal(form.status, 415);
    const accountsAfter = await cluster.pool.query(`SELECT count(*)::int AS n FROM accounts`);
    assert.equal(accountsAfter.rows[0].n, accountsBefore.rows[0].n);
  });

  it('publishes the OpenAPI document and its UI', async () => {
    const doc = (await (await fetch(`${gateway.url}/docs/openapi.json`)).json()) as {
      openapi: string;
      info: { title: string };
    };
    assert.match(doc.openapi, /^3\./);
    assert.equal(doc.info.title, 'TRUST-NO-1 World Services');
    // Client generators read it: swagger-parser, Redocly's recommended rules and `redocly lint`
    // (@redocly/cli) find no error.
    const lint = spawnSync(process.execPath, [LINT_OPENAPI, `${gateway.url}/docs/openapi.json`], {
      encoding: 'utf8',
    });
    const report = JSON.parse(lint.stdout) as {
      swaggerParser: string | null;
      redocly: { errors: unknown[] };
      redoclyCli: { errors: unknown[]; warnings: unknown[] };
    };
    assert.equal(report.swaggerParser, null);
    assert.deepEqual(report.redocly.errors, []);
    assert.deepEqual(report.redoclyCli.errors, []);
    assert.equal(lint.status, 0, lint.stderr);
    // docs/api.md lists every /v1 route of the served document (issue 10).
    const apiMd = readFileSync(resolve(__dirname, '../../../docs/api.md'), 'utf8');
    const paths = (doc as unknown as { paths: Record<string, Record<string, unknown>> }).paths;
    for (const [path, methods] of Object.entries(paths).filter(([p]) => p.startsWith('/v1/'))) {
      for (const method of Object.keys(methods)) {
        assert.ok(
          apiMd.includes(`\`${method.toUpperCase()} ${path}`),
          `${method} ${path} is not in docs/api.md`,
        );
      }
    }
    const ui = await fetch(`${gateway.url}/docs`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /swagger/i);
  });

  it('turns 503 naming the service that stops, and exits 0 on SIGTERM', async () => {
    const inventory = cluster.app('inventory');
    assert.equal(await inventory.stop(), 0);
    const body = (await waitReady(gateway.url, 503)) as ReadyBody;
    assert.deepEqual(body.down, ['service:inventory']);
  });

  it('turns 503 naming PostgreSQL when the database is unreachable', async () => {
    const closedPort = await freePort();
    const broken = await startApp(
      'world',
      appEnv(cluster.db, cluster.ns, {
        DATABASE_URL: `postgresql://postgres@127.0.0.1:${closedPort}/nowhere`,
      }),
    );
    try {
      const body = (await waitReady(broken.url, 503)) as ReadyBody;
      assert.deepEqual(body.down, ['postgres']);
      assert.equal(body.checks.redis?.status, 'up');
      assert.equal(body.checks.nats?.status, 'up');
    } finally {
      await broken.kill();
    }
  });

  it('refuses to start with a bad variable, naming it', async () => {
    await assert.rejects(
      startApp('accounts', appEnv(cluster.db, cluster.ns, { LOG_LEVEL: 'chatty' })),
      (error: Error) => /LOG_LEVEL/.test(error.message) && /exited during start-up/.test(error.message),
    );
  });

  it('says to run db:migrate when the database does not exist', async () => {
    const missing = new URL(cluster.db.url);
    missing.pathname = `/tn1_missing_${Date.now()}`;
    await assert.rejects(
      startApp('inventory', appEnv(cluster.db, cluster.ns, { DATABASE_URL: missing.toString() })),
      (error: Error) =>
        /exited during start-up/.test(error.message) && /npm run db:migrate/.test(error.message),
    );
  });
});
