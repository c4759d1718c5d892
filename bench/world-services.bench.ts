/**
 * World rows through the services (issue 5): a stored chunk loaded through the world service over
 * NATS and through the gateway over HTTP, beside the raw `SELECT … FROM world_chunks` through pg;
 * and a 256-unit path through the ai_pathfinding queue (POST /v1/paths, then GET /v1/paths/{jobId}
 * until done, the worker running A* over terrain the world service sends) beside findPath called
 * directly. The apps run as real processes against a migrated database of this run's own.
 */
import { Agent, request } from 'node:http';
import { Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import { WorldSubjects, type PathJobView, type Principal } from '@trustno1/contracts';
import {
  appEnv,
  createTestDatabase,
  createTestNamespace,
  factories,
  startApp,
  testInfra,
  type RunningApp,
} from '@trustno1/testing';
import { findPath, generatedSampler, seedFrom } from '@trustno1/world-domain';
import type { BenchContext } from './lib/context';
import { measure } from './lib/measure';
import type { BenchRow } from './lib/table';

const WORLD_SEED = 'seed1';
/** Stored chunks the load rows cycle through. */
const CHUNKS = 64;
/** Path requests are whole milliseconds each; more would only lengthen the run. */
const PATH_CAP = 200;
const POLL_MS = 5;
// Routes of 256 units along x on the bench seed with a walkable path (checked before timing).
const ROUTE_ZS = [0, 40, 80, 120, 160, 200, 240, 280];

function http(
  agent: Agent,
  port: number,
  apiKey: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent,
        headers: {
          'x-server-key': apiKey,
          ...(payload
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export async function worldServiceRows(ctx: BenchContext): Promise<BenchRow[]> {
  const db = await createTestDatabase();
  const ns = createTestNamespace();
  const env = appEnv(db, ns, {
    LOG_LEVEL: 'error',
    DATABASE_POOL_SIZE: String(ctx.concurrency),
    WORLD_SEED,
    WORKER_QUEUES: 'ai_pathfinding',
    WORKER_CONCURRENCY: '2',
  });
  const apps: RunningApp[] = [];
  const pool = new Pool({ connectionString: db.url, max: ctx.concurrency });
  const agent = new Agent({ keepAlive: true, maxSockets: ctx.concurrency });
  const bus = new BusClient({
    natsUrl: testInfra().natsUrl,
    subjectPrefix: ns.natsSubjectPrefix,
    serviceName: 'bench',
  });
  try {
    apps.push(
      ...(await Promise.all(['world', 'accounts', 'worker'].map((name) => startApp(name as 'world', env)))),
    );
    const gateway = await startApp('gateway', env);
    apps.push(gateway);
    const game = await factories(pool).gameServer();
    const server: Principal = { kind: 'server', serverId: game.id, region: game.region };
    const chunk = (i: number) => ({ x: (i % CHUNKS) % 8, z: Math.floor((i % CHUNKS) / 8) });
    // First loads store the chunks; the timed loads read stored rows, as a live world mostly does.
    for (let i = 0; i < CHUNKS; i++)
      await bus.request(WorldSubjects.loadChunk, chunk(i), { principal: server });

    const options = { iterations: ctx.iterations, concurrency: ctx.concurrency };
    const raw = await measure(async (i) => {
      const { x, z } = chunk(i);
      const { rows } = await pool.query(
        `SELECT x, z, biome_type, terrain_data, resource_nodes FROM world_chunks WHERE x = $1 AND z = $2`,
        [x, z],
      );
      if (rows.length !== 1) throw new Error('chunk missing');
    }, options);
    const nats = await measure(
      (i) => bus.request(WorldSubjects.loadChunk, chunk(i), { principal: server }),
      options,
    );
    const viaHttp = await measure(async (i) => {
      const { x, z } = chunk(i);
      const { status } = await http(agent, gateway.port, game.apiKey, 'GET', `/v1/chunks/${x}/${z}`);
      if (status !== 200) throw new Error(`status ${status}`);
    }, options);

    // Paths: the same routes for both columns; each request differs by a millimetre so the queue's
    // request-hash job ids never hand back an earlier result.
    const sampler = generatedSampler(seedFrom(WORLD_SEED));
    const routes = ROUTE_ZS.filter(
      (z) => findPath(sampler, { x: 0, z }, { x: 256, z }, { margin: 64 }).status === 'found',
    );
    if (routes.length === 0) throw new Error('no walkable bench route on this seed');
    const route = (i: number) => {
      const z = routes[i % routes.length];
      return { from: { x: i * 0.001, z }, to: { x: 256, z } };
    };
    const pathOptions = { iterations: Math.min(ctx.iterations, PATH_CAP), concurrency: 4, warmup: 8 };
    const direct = await measure(async (i) => {
      const { from, to } = route(i);
      const r = findPath(sampler, from, to, { margin: 64 });
      if (r.status !== 'found') throw new Error(r.status);
    }, pathOptions);
    const queued = await measure(async (i) => {
      const posted = await http(agent, gateway.port, game.apiKey, 'POST', '/v1/paths', route(i));
      if (posted.status !== 202) throw new Error(`status ${posted.status}`);
      const { jobId } = posted.json as { jobId: string };
      for (;;) {
        const got = await http(agent, gateway.port, game.apiKey, 'GET', `/v1/paths/${jobId}`);
        const view = got.json as PathJobView;
        if (view.status === 'done') return;
        if (view.status === 'failed') throw new Error(view.reason);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }, pathOptions);

    return [
      {
        operation: 'chunk load via NATS (world.chunk.load.v1)',
        measured: nats,
        raw,
        note: `${CHUNKS} stored chunks; raw: SELECT … FROM world_chunks WHERE x=$1 AND z=$2 through pg (no decode)`,
      },
      {
        operation: 'chunk load (HTTP GET /v1/chunks/{x}/{z})',
        measured: viaHttp,
        raw,
        note: 'through the gateway: touch + structures + vehicles + decode + base64 of 65×65 heights',
      },
      {
        operation: 'path via ai_pathfinding queue (256 units)',
        measured: queued,
        raw: direct,
        note:
          `POST /v1/paths, then GET every ${POLL_MS} ms until done (worker concurrency 2, terrain over NATS); ` +
          'raw: findPath called directly over generated terrain, 4 at a time',
      },
    ];
  } finally {
    agent.destroy();
    await bus.close();
    await pool.end();
    await Promise.all(apps.map((app) => app.kill()));
    await ns.cleanup();
    await db.drop();
  }
}
