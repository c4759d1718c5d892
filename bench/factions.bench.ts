/**
 * Factions rows: a treasury deposit through the factions service over NATS and through the
 * gateway over HTTP, each beside `SELECT factions.deposit(...)` (the one statement the service
 * sends, with the same principal) raw through pg at the same concurrency. Each operation picks
 * one of many factions, so concurrent deposits rarely queue on the same faction row.
 */
import { Agent } from 'node:http';
import { Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import { FactionsOps, type Principal } from '@trustno1/contracts';
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

interface Faction {
  id: string;
  leaderId: string;
}

export async function factionsRows(ctx: BenchContext): Promise<BenchRow[]> {
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
    apps.push(...(await Promise.all([startApp('factions', env), startApp('accounts', env)])));
    apps.push(await startApp('gateway', env));
    const gateway = apps[2].port;
    const f = factories(pool);
    const game = await f.gameServer();
    const server: Principal = { kind: 'server', serverId: game.id, region: game.region };
    const principalJson = JSON.stringify(server);
    const factions: Faction[] = [];
    for (let i = 0; i < ctx.concurrency * 8; i++) {
      const leader = await f.character();
      await pool.query(`UPDATE players SET server_id = $1, is_online = true WHERE id = $2`, [
        game.id,
        leader.id,
      ]);
      await pool.query(`SELECT market.wallet_move($1, 'scrap', 1000000000, 'admin_grant', 'bench')`, [
        leader.id,
      ]);
      const { rows } = await pool.query<{ r: { id: string } }>(
        `SELECT factions.create_faction($1::jsonb, NULL, NULL, NULL, $2::uuid, $3, $4, NULL, NULL) AS r`,
        [principalJson, leader.id, `Bench faction ${i}`, `B${i}`],
      );
      factions.push({ id: rows[0].r.id, leaderId: leader.id });
    }
    const [factionsApp, accountsApp, gatewayApp] = apps.map((app) => app.process.pid ?? 0);
    const cpu = cpuMeter({
      factions: { pids: [factionsApp] },
      accounts: { pids: [accountsApp] },
      gateway: { pids: [gatewayApp] },
      postgres: { name: 'postgres' },
      'nats-server': { name: 'nats-server' },
    });
    const pick = (i: number) => factions[i % factions.length];
    const raw = (x: Faction) =>
      pool.query(`SELECT factions.deposit($1::jsonb, NULL, NULL, NULL, $2::uuid, $3::uuid, 1)`, [
        principalJson,
        x.id,
        x.leaderId,
      ]);
    const viaNats = (x: Faction) =>
      bus.call(
        FactionsOps.deposit,
        { factionId: x.id, playerId: x.leaderId, amount: 1 },
        { principal: server },
      );
    const viaHttp = (x: Faction) =>
      postAsServer(agent, gateway, game.apiKey, `/v1/factions/${x.id}/treasury/deposit`, {
        playerId: x.leaderId,
        amount: 1,
      });

    const options = { iterations: ctx.iterations, concurrency: ctx.concurrency };
    const timed = async (op: (i: number) => Promise<unknown>) => {
      const stop = cpu.start();
      const measured = await measure(op, options);
      return { measured, cpu: stop(options.iterations + Math.min(200, options.iterations)) };
    };
    const sql = await timed((i) => raw(pick(i)));
    const nats = await timed((i) => viaNats(pick(i)));
    const http = await timed((i) => viaHttp(pick(i)));
    return [
      {
        operation: 'faction treasury deposit via NATS',
        measured: nats.measured,
        raw: sql.measured,
        note:
          'factions.treasury.deposit.v1 over NATS vs SELECT factions.deposit(...) through pg (wallet ledger, ' +
          `faction ledger and a faction_bank transaction per call)\n  - raw: ${sql.cpu}\n  - NATS: ${nats.cpu}`,
      },
      {
        operation: 'faction treasury deposit via HTTP',
        measured: http.measured,
        raw: sql.measured,
        note: `POST /v1/factions/{id}/treasury/deposit through the gateway vs the same raw column\n  - HTTP: ${http.cpu}`,
      },
    ];
  } finally {
    agent.destroy();
    await bus.close();
    await pool.end();
    await Promise.all(apps.map((app) => app.stop()));
    await ns.cleanup();
    await db.drop();
  }
}
