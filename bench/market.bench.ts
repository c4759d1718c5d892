/**
 * Market rows: a one-unit purchase through the market service over NATS and through the gateway
 * over HTTP, each beside `SELECT market.purchase_listing(...)` (the one statement the service
 * sends) raw through pg at the same concurrency; once uncontended (each purchase picks one of many
 * listings) and once with 80 % of the purchases on 4 hot listings, whose row lock they queue on.
 * Each mode gets listings of its own, large enough never to sell out, and fresh buyers (a default
 * 10 × 6 bag each, at most ~45 purchases per buyer at the default 5,000 operations) with wallets
 * that never run dry: every purchase lands in a bag, none in the claims.
 */
import { Agent } from 'node:http';
import { Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import { MarketOps, type Principal } from '@trustno1/contracts';
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

const TAX_PERCENT = 5;
const HOT_LISTINGS = 4;
const HOT_SHARE = 0.8;

export async function marketRows(ctx: BenchContext): Promise<BenchRow[]> {
  const db = await createTestDatabase();
  const ns = createTestNamespace();
  const env = appEnv(db, ns, {
    LOG_LEVEL: 'error',
    DATABASE_POOL_SIZE: String(ctx.concurrency),
    SALES_TAX_PERCENT: String(TAX_PERCENT),
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
    apps.push(...(await Promise.all([startApp('market', env), startApp('accounts', env)])));
    apps.push(await startApp('gateway', env));
    const gateway = apps[2].port;
    const f = factories(pool);
    const game = await f.gameServer();
    const server: Principal = { kind: 'server', serverId: game.id, region: game.region };
    const principalJson = JSON.stringify(server);
    const ore = (await f.itemTemplate({ id: 'bench_ore', maxStack: 1_000_000, weight: 0 })).id;

    /** Buyers of one mode, fresh for each so every mode starts from equally empty bags. */
    const freshBuyers = async (): Promise<string[]> => {
      const ids: string[] = [];
      for (let i = 0; i < ctx.concurrency * 8; i++) {
        const b = await f.joinedCharacter(game.id);
        await pool.query(`SELECT market.wallet_move($1, 'scrap', 1000000000000, 'admin_grant', 'bench')`, [
          b.id,
        ]);
        ids.push(b.id);
      }
      return ids;
    };
    /** `count` listings of `units` ore each, from sellers of their own, at price 1, without fee. */
    const listings = async (count: number, units: number): Promise<string[]> => {
      const ids: string[] = [];
      for (let i = 0; i < count; i++) {
        const seller = await f.joinedCharacter(game.id, [[ore, units]]);
        const { rows } = await pool.query<{ r: { id: string } }>(
          `SELECT market.create_listing($1::jsonb, NULL, NULL, $2, (SELECT id FROM inventory_items
                    WHERE inventory_id = $3), $4, 1, 'scrap', 'global', NULL, 168, 0, 1000) AS r`,
          [principalJson, seller.id, seller.inventoryId, units],
        );
        ids.push(rows[0].r.id);
      }
      return ids;
    };

    const [marketApp, accountsApp, gatewayApp] = apps.map((app) => app.process.pid ?? 0);
    const cpu = cpuMeter({
      market: { pids: [marketApp] },
      accounts: { pids: [accountsApp] },
      gateway: { pids: [gatewayApp] },
      postgres: { name: 'postgres' },
      'nats-server': { name: 'nats-server' },
    });
    const iterations = ctx.iterations;
    const options = { iterations, concurrency: ctx.concurrency };
    const perMode = iterations + Math.min(200, iterations);
    const raw = (listingId: string, buyerId: string) =>
      pool.query(`SELECT market.purchase_listing($1::jsonb, NULL, NULL, $2, $3, 1, NULL, $4)`, [
        principalJson,
        listingId,
        buyerId,
        TAX_PERCENT,
      ]);
    const viaNats = (listingId: string, buyerId: string) =>
      bus.call(MarketOps.purchaseListing, { listingId, buyerId, quantity: 1 }, { principal: server });
    const viaHttp = (listingId: string, buyerId: string) =>
      postAsServer(agent, gateway, game.apiKey, `/v1/market/listings/${listingId}/purchase`, {
        buyerId,
        quantity: 1,
      });

    const rows: BenchRow[] = [];
    for (const hot of [false, true]) {
      const cold = ctx.concurrency * 4;
      /** The listing a purchase of one mode picks: spread out, or mostly the hot few. */
      const picker = async () => {
        const many = await listings(cold, Math.ceil(perMode / cold) + 10);
        const few = hot
          ? await listings(HOT_LISTINGS, Math.ceil((perMode * HOT_SHARE) / HOT_LISTINGS) + 50)
          : [];
        return (i: number) =>
          hot && (i * 7919) % 100 < HOT_SHARE * 100 ? few[i % few.length] : many[i % many.length];
      };
      const timed = async (op: (listingId: string, buyerId: string) => Promise<unknown>) => {
        const pick = await picker();
        const buyers = await freshBuyers();
        const stop = cpu.start();
        const measured = await measure((i) => op(pick(i), buyers[i % buyers.length]), options);
        return { measured, cpu: stop(perMode) };
      };
      const sql = await timed(raw);
      const nats = await timed(viaNats);
      const http = await timed(viaHttp);
      const shape = hot ? `80 % on ${HOT_LISTINGS} hot listings` : 'uncontended';
      rows.push(
        {
          operation: `market purchase (${shape}) via NATS`,
          measured: nats.measured,
          raw: sql.measured,
          note:
            `market.listing.purchase.v1 over NATS vs SELECT market.purchase_listing(...) through pg, one unit each` +
            `\n  - raw: ${sql.cpu}\n  - NATS: ${nats.cpu}`,
        },
        {
          operation: `market purchase (${shape}) via HTTP`,
          measured: http.measured,
          raw: sql.measured,
          note: `POST /v1/market/listings/{id}/purchase through the gateway vs the same raw column\n  - HTTP: ${http.cpu}`,
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
