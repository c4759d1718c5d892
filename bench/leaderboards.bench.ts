/**
 * Leaderboard rows: one page (25 entries) of the playtime board of 10,000 characters through the
 * seasons service over NATS and through the gateway over HTTP, each beside the raw
 * `ZREVRANGE leaderboard:playtime 0 24 WITHSCORES` through ioredis at the same concurrency. The
 * service answers with one Lua script (range, names and competition ranks in one round trip).
 */
import { Agent, request } from 'node:http';
import { Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import { SeasonsOps, type Principal } from '@trustno1/contracts';
import { createRedisClient, RedisKeys } from '@trustno1/redis';
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
import { cpuMeter } from './lib/cpu';
import { measure } from './lib/measure';
import type { BenchRow } from './lib/table';

const CHARACTERS = 10_000;
const PAGE = 25;

function get(agent: Agent, port: number, apiKey: string, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', agent, headers: { 'x-server-key': apiKey } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}: ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export async function leaderboardsRows(ctx: BenchContext): Promise<BenchRow[]> {
  const db = await createTestDatabase();
  const ns = createTestNamespace();
  const env = appEnv(db, ns, { LOG_LEVEL: 'error', DATABASE_POOL_SIZE: String(ctx.concurrency) });
  const apps: RunningApp[] = [];
  const pool = new Pool({ connectionString: db.url, max: 4 });
  const redis = createRedisClient({ url: testInfra().redisUrl, keyPrefix: ns.redisKeyPrefix, name: 'bench' });
  const agent = new Agent({ keepAlive: true, maxSockets: ctx.concurrency });
  const bus = new BusClient({
    natsUrl: testInfra().natsUrl,
    subjectPrefix: ns.natsSubjectPrefix,
    serviceName: 'bench',
  });
  try {
    apps.push(...(await Promise.all([startApp('seasons', env), startApp('accounts', env)])));
    apps.push(await startApp('gateway', env));
    const gateway = apps[2].port;
    const game = await factories(pool).gameServer();
    const server: Principal = { kind: 'server', serverId: game.id, region: game.region };
    await pool.query(
      `INSERT INTO accounts.players (id, character_name, position, rotation, chunk_x, chunk_z, health, stats, playtime_seconds)
       SELECT gen_random_uuid(), 'bench_' || i, '{"x":0,"y":0,"z":0}', '{"x":0,"y":0,"z":0,"w":1}', 0, 0, '{}', '{}',
              (random() * 1000000)::bigint + 1
         FROM generate_series(1, $1) AS i`,
      [CHARACTERS],
    );
    // The first read builds the board from PostgreSQL; the rows measure reads of a built board.
    await bus.call(SeasonsOps.getLeaderboard, { board: 'playtime', limit: PAGE }, { principal: server });
    const [seasonsApp, accountsApp, gatewayApp] = apps.map((app) => app.process.pid ?? 0);
    const cpu = cpuMeter({
      seasons: { pids: [seasonsApp] },
      accounts: { pids: [accountsApp] },
      gateway: { pids: [gatewayApp] },
      'redis-server': { name: 'redis-server' },
      'nats-server': { name: 'nats-server' },
    });
    const key = RedisKeys.leaderboard('playtime');
    const raw = () => redis.zrevrange(key, 0, PAGE - 1, 'WITHSCORES');
    const viaNats = () =>
      bus.call(SeasonsOps.getLeaderboard, { board: 'playtime', limit: PAGE }, { principal: server });
    const viaHttp = () => get(agent, gateway, game.apiKey, `/v1/leaderboards/playtime?limit=${PAGE}`);

    const options = { iterations: ctx.iterations, concurrency: ctx.concurrency };
    const timed = async (op: (i: number) => Promise<unknown>) => {
      const stop = cpu.start();
      const measured = await measure(op, options);
      return { measured, cpu: stop(options.iterations + Math.min(200, options.iterations)) };
    };
    const zrev = await timed(raw);
    const nats = await timed(viaNats);
    const http = await timed(viaHttp);
    return [
      {
        operation: `leaderboard page (${PAGE}) via NATS`,
        measured: nats.measured,
        raw: zrev.measured,
        note:
          `seasons.leaderboard.get.v1 over NATS vs ZREVRANGE ${key} 0 ${PAGE - 1} WITHSCORES through ioredis, ` +
          `${CHARACTERS} entries\n  - raw: ${zrev.cpu}\n  - NATS: ${nats.cpu}`,
      },
      {
        operation: `leaderboard page (${PAGE}) via HTTP`,
        measured: http.measured,
        raw: zrev.measured,
        note: `GET /v1/leaderboards/playtime?limit=${PAGE} through the gateway vs the same raw column\n  - HTTP: ${http.cpu}`,
      },
    ];
  } finally {
    agent.destroy();
    await bus.close();
    redis.disconnect();
    await pool.end();
    await Promise.all(apps.map((app) => app.stop()));
    await ns.cleanup();
    await db.drop();
  }
}
