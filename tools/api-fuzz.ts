/**
 * `npm run api:fuzz`: an outside API tester. Portman turns the gateway's OpenAPI document into a
 * Postman collection (contract tests and fuzzed variations of every request), tools/api-fuzz/
 * wrong-types.ts adds variations with a field of the wrong JSON type, and Newman runs it
 * three times: as a player, as a game server and without credentials. tools/api-fuzz/check.ts
 * judges the runs: no 5xx, only documented statuses, a 4xx for every fuzzed variation, and every
 * body matching the schema of its status; a wrong-type field sent by a principal the operation
 * admits must be refused with 400 VALIDATION_FAILED naming it. Exits 1 on any failure.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { exitWithUsageIfAsked } from './usage';
import { checkRun, FUZZ_MARK, renderSummary, type CheckResult, type NewmanExecution } from './api-fuzz/check';
import { addWrongTypeVariations, unrefusedWrongTypes } from './api-fuzz/wrong-types';

const USAGE = `
Usage: npm run api:fuzz [-- --url <gateway URL>] [--keep <dir>]

Portman builds a Postman collection with contract tests and fuzzed variations from the gateway's
/docs/openapi.json, to which variations with a body or query field of the wrong type are added;
Newman runs it as a player, as a game server and without credentials. Fails on any 5xx,
undocumented status, accepted fuzzed request or body that does not match its schema, and prints a
summary grouped by route.

Options:
  --url <url>   A running gateway (ADMIN_API_KEY must be its admin key); default: boot a cluster
                of every app on a fresh database (PostgreSQL, Redis and NATS must be running)
  --keep <dir>  Write the document, the collection and the Newman reports there
`;

const ROOT = resolve(__dirname, '..');
const ALL_APPS = ['accounts', 'world', 'inventory', 'combat', 'market', 'factions', 'gateway'] as const;

export type Principal = 'player' | 'server' | 'nobody';

export interface FuzzReport {
  principal: Principal;
  result: CheckResult;
  ms: number;
}

export interface FuzzOutcome {
  generatedRequests: number;
  variations: number;
  /** Of the variations, those tools/api-fuzz/wrong-types.ts added: a field of the wrong JSON type. */
  wrongTypes: number;
  reports: FuzzReport[];
  ms: { portman: number; total: number };
}

interface Seeded {
  auth: Record<Principal, { header: string; value: string }>;
  vars: Record<string, string>;
}

async function call(url: string, init: RequestInit, expect: number): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status !== expect)
    throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status}, not ${expect}: ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** A player with a character joined to a server, its inventory and an item in it. */
async function seed(gatewayUrl: string, adminKey: string): Promise<Seeded> {
  const { signUp, registerServer } = await import('@trustno1/testing');
  const player = await signUp(gatewayUrl);
  const server = await registerServer(gatewayUrl, adminKey);
  const json = (headers: Record<string, string>, body?: unknown): RequestInit => ({
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await call(
    `${gatewayUrl}/v1/servers/me/status`,
    {
      method: 'PUT',
      ...json(server.headers, { players: 0, maxPlayers: 100, tickRate: 30, version: '1.0.0' }),
    },
    204,
  );
  const character = await call(
    `${gatewayUrl}/v1/characters`,
    { method: 'POST', ...json(player.headers, { name: `fuzz_${Date.now().toString(36)}` }) },
    201,
  );
  const characterId = String(character.id);
  const serverNoBody = { 'x-server-key': server.apiKey };
  await call(`${gatewayUrl}/v1/players/${characterId}/join`, { method: 'POST', headers: serverNoBody }, 200);
  const inventory = await call(
    `${gatewayUrl}/v1/players/${characterId}/inventory`,
    { method: 'GET', headers: serverNoBody },
    200,
  );
  const inventoryId = String(inventory.id);
  const catalog = (await call(
    `${gatewayUrl}/v1/catalog/items`,
    { headers: serverNoBody },
    200,
  )) as unknown as Array<{
    id: string;
  }>;
  const item = await call(
    `${gatewayUrl}/v1/inventories/${inventoryId}/items`,
    {
      method: 'POST',
      ...json(server.headers, { templateId: catalog[0].id, quantity: 1, reason: 'api_fuzz' }),
    },
    201,
  );
  return {
    auth: {
      player: { header: 'Authorization', value: `Bearer ${player.token}` },
      server: { header: 'X-Server-Key', value: server.apiKey },
      nobody: { header: '', value: '' },
    },
    vars: { characterId, inventoryId, itemId: String(item.id), region: 'eu-west' },
  };
}

/** Portman's CLI (its own process: it writes scratch files into its working directory). */
function portman(dir: string): number {
  const started = Date.now();
  const run = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules/@apideck/portman/bin/portman'),
      '--local',
      join(dir, 'openapi.json'),
      '--portmanConfigFile',
      join(ROOT, 'tools/api-fuzz/portman-config.json'),
      '--output',
      join(dir, 'collection.json'),
      '--baseUrl',
      '{{baseUrl}}',
      '--includeTests',
      'true',
      '--runNewman',
      'false',
      '--warn',
      'false',
    ],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  if (run.status !== 0) throw new Error(`portman failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  return Date.now() - started;
}

interface Item {
  name: string;
  item?: Item[];
  request?: {
    method: string;
    url: { path?: string[]; variable?: Array<{ key: string; value: string }> };
    auth?: { type: string };
  };
}

function requestsOf(items: Item[]): Item[] {
  return items.flatMap((item) => (item.item ? requestsOf(item.item) : [item]));
}

/**
 * Points path parameters at the seeded rows, by the name the route gives them, and drops the
 * per-request auth Portman derives from the security schemes: the collection's pre-request
 * script sets the one header of the run's principal instead.
 */
function prepareRequests(collection: { item: Item[] }): void {
  // One flat list, the logout last: it ends the player's session the other requests use.
  const all = requestsOf(collection.item);
  const logout = (item: Item) =>
    item.request?.method === 'DELETE' && item.request.url.path?.join('/') === 'v1/sessions/current';
  collection.item = [...all.filter((item) => !logout(item)), ...all.filter(logout)];
  const byPrefix: Array<[RegExp, Record<string, string>]> = [
    [/^\/v1\/players\//, { id: '{{characterId}}' }],
    [/^\/v1\/inventories\//, { id: '{{inventoryId}}' }],
    [/^\/v1\/items\//, { id: '{{itemId}}' }],
    [/^\/v1\/matchmaking\//, { region: '{{region}}' }],
  ];
  for (const item of all) {
    if (!item.request) continue;
    const url = item.request.url;
    const path = `/${(url.path ?? []).join('/')}`;
    item.request.auth = { type: 'noauth' };
    for (const [prefix, values] of byPrefix) {
      if (!prefix.test(path)) continue;
      for (const variable of url.variable ?? [])
        if (values[variable.key]) variable.value = values[variable.key];
    }
  }
}

async function newman(
  collection: unknown,
  baseUrl: string,
  seeded: Seeded,
  principal: Principal,
): Promise<NewmanExecution[]> {
  // @ts-expect-error -- newman ships no type declarations; the one function used is typed here.
  const { run } = (await import('newman')) as {
    run: (
      options: Json,
      done: (error: Error | null, summary: { run: { executions: unknown[] } }) => void,
    ) => void;
  };
  const auth = seeded.auth[principal];
  const envVar = Object.entries({
    baseUrl,
    authHeader: auth.header,
    authValue: auth.value,
    ...seeded.vars,
  }).map(([key, value]) => ({ key, value }));
  return new Promise((done, fail) =>
    run(
      { collection, envVar, reporters: [], timeoutRequest: 30_000, ignoreRedirects: true },
      (error, summary) =>
        error ? fail(error) : done(JSON.parse(JSON.stringify(summary.run.executions)) as NewmanExecution[]),
    ),
  );
}

type Json = Record<string, unknown>;

/** Generates the collection from the gateway at `gatewayUrl` and runs it as each principal. */
export async function fuzzGateway(
  gatewayUrl: string,
  adminKey: string,
  options: { keep?: string; log?: (line: string) => void } = {},
): Promise<FuzzOutcome> {
  const started = Date.now();
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const dir = options.keep ?? mkdtempSync(join(tmpdir(), 'api-fuzz-'));
  mkdirSync(dir, { recursive: true });
  try {
    const documentText = await (await fetch(`${gatewayUrl}/docs/openapi.json`)).text();
    writeFileSync(join(dir, 'openapi.json'), documentText);
    const document = JSON.parse(documentText) as Json;
    const portmanMs = portman(dir);
    const collection = JSON.parse(readFileSync(join(dir, 'collection.json'), 'utf8')) as { item: Item[] };
    const wrongTypes = addWrongTypeVariations(collection, document);
    prepareRequests(collection);
    if (options.keep) writeFileSync(join(dir, 'collection.json'), JSON.stringify(collection));
    const requests = requestsOf(collection.item);
    const variations = requests.filter((item) => item.name.includes(FUZZ_MARK)).length;
    log(
      `# portman: ${requests.length} requests, ${variations} fuzzed variations ` +
        `(${wrongTypes} of them wrong types), ${portmanMs} ms`,
    );
    const seeded = await seed(gatewayUrl, adminKey);
    const reports: FuzzReport[] = [];
    for (const principal of ['player', 'server', 'nobody'] as const) {
      const runStarted = Date.now();
      const executions = await newman(collection, gatewayUrl, seeded, principal);
      if (options.keep)
        writeFileSync(join(dir, `newman-${principal}.json`), JSON.stringify({ run: { executions } }));
      const result = checkRun(document, executions);
      result.failures.push(...unrefusedWrongTypes(document, executions, principal));
      const ms = Date.now() - runStarted;
      reports.push({ principal, result, ms });
      log(`${renderSummary(`# newman as ${principal} (${ms} ms)`, result)}`);
    }
    return {
      generatedRequests: requests.length,
      variations,
      wrongTypes,
      reports,
      ms: { portman: portmanMs, total: Date.now() - started },
    };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  exitWithUsageIfAsked(USAGE);
  const argv = process.argv.slice(2);
  const option = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const url = option('--url');
  const keep = option('--keep');
  let outcome: FuzzOutcome;
  if (url) {
    const adminKey = process.env.ADMIN_API_KEY;
    if (!adminKey)
      throw new Error('--url needs ADMIN_API_KEY: the gateway admin key, to register a game server');
    outcome = await fuzzGateway(url.replace(/\/$/, ''), adminKey, { keep });
  } else {
    const { startCluster, TEST_ADMIN_KEY } = await import('@trustno1/testing');
    const bootStarted = Date.now();
    const cluster = await startCluster([...ALL_APPS]);
    process.stdout.write(`# cluster booted in ${Date.now() - bootStarted} ms at ${cluster.url}\n`);
    try {
      outcome = await fuzzGateway(cluster.url, TEST_ADMIN_KEY, { keep });
    } finally {
      await cluster.stop();
    }
  }
  const failures = outcome.reports.reduce((sum, r) => sum + r.result.failures.length, 0);
  process.stdout.write(`# ${failures} failures in ${outcome.ms.total} ms\n`);
  process.exit(failures === 0 ? 0 : 1);
}

if (require.main === module)
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
