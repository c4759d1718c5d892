/**
 * Presence rows: a 1,000-player state batch through the accounts service over NATS and through the
 * gateway over HTTP, beside the same Redis commands pipelined raw through ioredis (a read pipeline
 * of HMGETs, then one write pipeline of HSET/EXPIRE/SADD per player, chunk EXPIREs and the dirty
 * SADD). The services run as real processes against a migrated database of this run's own.
 */
import { Agent, request } from 'node:http';
import { Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import { AccountsOps, type PlayerState, type Principal } from '@trustno1/contracts';
import { createRedisClient, RedisKeys, TTL } from '@trustno1/redis';
import {
  appEnv,
  createTestDatabase,
  createTestNamespace,
  factories,
  startApp,
  testInfra,
  type RunningApp,
} from '@trustno1/testing';
import type { BenchContext } from './lib/context';
import { measure } from './lib/measure';
import type { BenchRow } from './lib/table';

const PLAYERS = 1_000;
const ROTATION = { x: 0, y: 0, z: 0, w: 1 };

/** Batch `i`: everyone moves a little; every 8th batch crosses a chunk border and back. */
function batch(ids: string[], i: number): PlayerState[] {
  const shift = i % 8 === 0 ? 130 : (i % 50) * 0.5;
  return ids.map((playerId, n) => ({
    playerId,
    position: { x: (n % 40) * 128 + 10 + shift, y: 1, z: 64 },
    rotation: ROTATION,
  }));
}

function put(agent: Agent, port: number, apiKey: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/players/states',
        method: 'PUT',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-server-key': apiKey,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 204 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What PresenceService.updateStates sends to Redis for one batch, without the service around it. */
async function rawBatch(
  redis: ReturnType<typeof createRedisClient>,
  serverId: string,
  states: PlayerState[],
): Promise<void> {
  const read = redis.pipeline();
  for (const s of states)
    read.hmget(RedisKeys.playerState(s.playerId), 'serverId', 'chunkX', 'chunkZ', 'joinedAt');
  const heads = (await read.exec()) ?? [];
  const write = redis.pipeline();
  const chunks = new Set<string>();
  const now = String(Date.now());
  states.forEach((s, i) => {
    const [, prevX, prevZ] = heads[i][1] as (string | null)[];
    const cx = Math.floor(s.position.x / 128);
    const cz = Math.floor(s.position.z / 128);
    const key = RedisKeys.playerState(s.playerId);
    write.hset(key, {
      serverId,
      position: JSON.stringify(s.position),
      rotation: JSON.stringify(s.rotation),
      chunkX: String(cx),
      chunkZ: String(cz),
      updatedAt: now,
    });
    write.expire(key, TTL.playerState);
    if (prevX !== null && (Number(prevX) !== cx || Number(prevZ) !== cz)) {
      write.srem(RedisKeys.chunkPlayers(Number(prevX), Number(prevZ)), s.playerId);
    }
    write.sadd(RedisKeys.chunkPlayers(cx, cz), s.playerId);
    chunks.add(`${cx}:${cz}`);
  });
  for (const c of chunks) {
    const [x, z] = c.split(':').map(Number);
    write.expire(RedisKeys.chunkPlayers(x, z), TTL.chunkInactive);
  }
  write.sadd(RedisKeys.positionsDirty(), ...states.map((s) => s.playerId));
  await write.exec();
}

export async function presenceRows(ctx: BenchContext): Promise<BenchRow[]> {
  const db = await createTestDatabase();
  const ns = createTestNamespace();
  const pool = new Pool({ connectionString: db.url, max: 8 });
  const redis = createRedisClient({
    url: testInfra().redisUrl,
    keyPrefix: ns.redisKeyPrefix,
    name: 'bench-raw',
  });
  const bus = new BusClient({
    natsUrl: testInfra().natsUrl,
    serviceName: 'bench-presence',
    subjectPrefix: ns.natsSubjectPrefix,
  });
  const apps: RunningApp[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: ctx.concurrency });
  try {
    const env = appEnv(db, ns, { LOG_LEVEL: 'error', DATABASE_POOL_SIZE: '8' });
    apps.push(...(await Promise.all([startApp('accounts', env), startApp('gateway', env)])));
    const [accounts, gateway] = apps;
    void accounts;
    const f = factories(pool);
    const server = await f.gameServer({ region: 'bench', maxPlayers: PLAYERS });
    const ids = (await Promise.all(Array.from({ length: PLAYERS }, () => f.character()))).map((c) => c.id);
    const principal: Principal = { kind: 'server', serverId: server.id, region: 'bench' };
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(
        ids.slice(i, i + 50).map((playerId) => bus.call(AccountsOps.join, { playerId }, { principal })),
      );
    }
    // Each operation is a whole 1,000-player batch: keep the count small and the lanes few.
    const opts = {
      iterations: Math.min(ctx.iterations, 100),
      concurrency: Math.min(ctx.concurrency, 4),
      warmup: 10,
    };
    const bodies = Array.from({ length: 16 }, (_, i) => batch(ids, i));
    const json = bodies.map((states) => JSON.stringify({ states }));

    const raw = await measure((i) => rawBatch(redis, server.id, bodies[i % 16]), opts);
    const nats = await measure(
      (i) => bus.call(AccountsOps.updateStates, { states: bodies[i % 16] }, { principal }),
      opts,
    );
    const http = await measure((i) => put(agent, gateway.port, server.apiKey, json[i % 16]), opts);
    const note = 'raw: the same HMGET read pipeline and HSET/EXPIRE/SREM/SADD write pipeline through ioredis';
    return [
      { operation: 'state batch, 1,000 players (NATS → accounts)', measured: nats, raw, note },
      {
        operation: 'state batch, 1,000 players (HTTP PUT /v1/players/states)',
        measured: http,
        raw,
        note: `${note}; adds the gateway: auth, JSON, validation`,
      },
    ];
  } finally {
    agent.destroy();
    await Promise.all(apps.map((app) => app.kill()));
    await bus.close();
    redis.disconnect();
    await pool.end();
    await ns.cleanup();
    await db.drop();
  }
}
