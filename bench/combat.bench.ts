/**
 * Combat rows: one hit and a 100-hit batch through the combat service over NATS and through the
 * gateway over HTTP, each beside `SELECT combat.apply_hits(...)` (the one statement the service
 * sends, with the same principal and hits) raw through pg at the same concurrency. Every hit has
 * an id of its own and deals a sliver of damage, so nobody dies and every hit is applied; each
 * operation picks one attacker/victim pair, so concurrent operations rarely share a lock.
 */
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import { CombatOps, type Hit, type Principal } from '@trustno1/contracts';
import {
  appEnv,
  createTestDatabase,
  createTestNamespace,
  factories,
  startApp,
  testInfra,
  type RunningApp,
} from '@trustno1/testing';
import { postAsServer } from './lib/http';
import type { BenchContext } from './lib/context';
import { cpuMeter } from './lib/cpu';
import { measure } from './lib/measure';
import type { BenchRow } from './lib/table';

const BATCH = 100;
const MAX_DAMAGE = 1000;
const CORPSE_TTL_SECONDS = 1800;

interface Pair {
  attackerId: string;
  victimId: string;
}

function hits(pair: Pair, count: number): Hit[] {
  return Array.from({ length: count }, () => ({
    hitId: randomUUID(),
    attackerId: pair.attackerId,
    victimId: pair.victimId,
    damage: 0.0001,
    hitLocation: 'left_leg' as const,
    distance: 12.5,
  }));
}

export async function combatRows(ctx: BenchContext): Promise<BenchRow[]> {
  const db = await createTestDatabase();
  const ns = createTestNamespace();
  const env = appEnv(db, ns, { LOG_LEVEL: 'error', DATABASE_POOL_SIZE: String(ctx.concurrency) });
  const apps: RunningApp[] = [];
  const pool = new Pool({ connectionString: db.url, max: ctx.concurrency });
  const agent = new Agent({ keepAlive: true, maxSockets: ctx.concurrency });
  const bus = new BusClient({
    natsUrl: testInfra().natsUrl,
    subjectPrefix: ns.natsSubjectPrefix,
    serviceName: 'bench',
  });
  try {
    apps.push(...(await Promise.all([startApp('combat', env), startApp('accounts', env)])));
    apps.push(await startApp('gateway', env));
    const gateway = apps[2].port;
    const f = factories(pool);
    const game = await f.gameServer();
    const server: Principal = { kind: 'server', serverId: game.id, region: game.region };
    const principalJson = JSON.stringify(server);
    const pairs: Pair[] = [];
    for (let i = 0; i < ctx.concurrency * 8; i++) {
      const [a, v] = [await f.character(), await f.character()];
      pairs.push({ attackerId: a.id, victimId: v.id });
    }
    await pool.query(`UPDATE players SET server_id = $1, is_online = true`, [game.id]);
    const [combatApp, accountsApp, gatewayApp] = apps.map((app) => app.process.pid ?? 0);
    const cpu = cpuMeter({
      combat: { pids: [combatApp] },
      accounts: { pids: [accountsApp] },
      gateway: { pids: [gatewayApp] },
      postgres: { name: 'postgres' },
      'nats-server': { name: 'nats-server' },
    });
    const pick = (i: number) => pairs[i % pairs.length];
    const raw = (batch: Hit[]) =>
      pool.query(`SELECT combat.apply_hits($1::jsonb, NULL, NULL, $2::jsonb, $3::float8, $4::int)`, [
        principalJson,
        JSON.stringify(batch),
        MAX_DAMAGE,
        CORPSE_TTL_SECONDS,
      ]);
    const viaNats = (batch: Hit[]) => bus.call(CombatOps.applyHits, { hits: batch }, { principal: server });
    const viaHttp = (batch: Hit[]) =>
      postAsServer(agent, gateway, game.apiKey, '/v1/combat/hits', { hits: batch });

    const rows: BenchRow[] = [];
    for (const [shape, size, iterations] of [
      ['one hit', 1, ctx.iterations],
      [`${BATCH}-hit batch`, BATCH, Math.max(50, Math.floor(ctx.iterations / 20))],
    ] as const) {
      const options = { iterations, concurrency: ctx.concurrency };
      const timed = async (op: (i: number) => Promise<unknown>) => {
        const stop = cpu.start();
        const measured = await measure(op, options);
        return { measured, cpu: stop(options.iterations + Math.min(200, options.iterations)) };
      };
      const sql = await timed((i) => raw(hits(pick(i), size)));
      const nats = await timed((i) => viaNats(hits(pick(i), size)));
      const http = await timed((i) => viaHttp(hits(pick(i), size)));
      rows.push(
        {
          operation: `combat ${shape} via NATS`,
          measured: nats.measured,
          raw: sql.measured,
          note:
            `combat.hits.apply.v1 over NATS vs SELECT combat.apply_hits(...) through pg, ${size} hit(s) per call` +
            `\n  - raw: ${sql.cpu}\n  - NATS: ${nats.cpu}`,
        },
        {
          operation: `combat ${shape} via HTTP`,
          measured: http.measured,
          raw: sql.measured,
          note: `POST /v1/combat/hits through the gateway vs the same raw column\n  - HTTP: ${http.cpu}`,
        },
      );
    }
    return rows;
  } finally {
    agent.destroy();
    await bus.close();
    await pool.end();
    await Promise.all(apps.map((app) => app.stop()));
    await ns.cleanup();
    await db.drop();
  }
}
