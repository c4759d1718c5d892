/**
 * Inventory rows: an item move through the inventory service over NATS and through the gateway
 * over HTTP, each beside `SELECT inventory.move_item(...)` (the one statement the service sends,
 * with the same principal) raw through pg at the same concurrency, in two
 * shapes: uncontended (every move on an item of its own) and hot (80 % of moves on 4 items, so
 * moves queue on their inventories' row locks). The apps run as real processes against a migrated
 * database of this run's own.
 */
import { Agent } from 'node:http';
import { Pool } from 'pg';
import { BusClient } from '@trustno1/bus';
import { InventoryOps, type Principal } from '@trustno1/contracts';
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

const HOT_ITEMS = 4;
const HOT_SHARE = 0.8;

interface Pair {
  itemId: string;
  a: string;
  b: string;
  /** Where the item was last sent by the service rows (the raw row reads it in SQL). */
  inA: boolean;
}

/** `count` rifles, each alone in a pair of world containers it shuttles between. */
async function pairs(pool: Pool, count: number): Promise<Pair[]> {
  const { rows } = await pool.query<Pair>(
    `WITH inv AS (
       INSERT INTO inventories (id, owner_id, owner_type, grid_width, grid_height, max_weight)
       SELECT gen_random_uuid(), gen_random_uuid(), 'container', 6, 6, 50 FROM generate_series(1, $1 * 2)
       RETURNING id),
     numbered AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM inv)
     SELECT a.id AS a, b.id AS b FROM numbered a JOIN numbered b ON b.n = a.n + 1 WHERE a.n % 2 = 0`,
    [count],
  );
  for (const pair of rows) {
    const item = await pool.query(
      `SELECT id FROM add_item($1, 'rifle_ak', 1, 0, 0, NULL, NULL, NULL, 'bench')`,
      [pair.a],
    );
    pair.itemId = item.rows[0].id;
    pair.inA = true;
  }
  return rows;
}

/** Raw: moves the pair's item to the other inventory of the pair, wherever it is now. */
function shuttleSql(pool: Pool, principal: string, pair: Pair): Promise<unknown> {
  return pool.query(
    `SELECT inventory.move_item($4::jsonb, NULL, NULL, $1, CASE WHEN i.inventory_id = $2 THEN $3::uuid ELSE $2::uuid END,
                                0, 0, NULL, NULL, NULL, NULL, 'move')
       FROM inventory_items i WHERE i.id = $1`,
    [pair.itemId, pair.a, pair.b, principal],
  );
}

/** The move body the service rows send: to the other side, as far as this process knows. */
function nextMove(pair: Pair) {
  const body = { toInventoryId: pair.inA ? pair.b : pair.a, gridX: 0, gridY: 0 };
  pair.inA = !pair.inA;
  return body;
}

export async function inventoryRows(ctx: BenchContext): Promise<BenchRow[]> {
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
    // The inventory service syncs the catalog at start-up; accounts authenticates server keys.
    apps.push(...(await Promise.all([startApp('inventory', env), startApp('accounts', env)])));
    apps.push(await startApp('gateway', env));
    const gateway = apps[2].port;
    const game = await factories(pool).gameServer();
    const server: Principal = { kind: 'server', serverId: game.id, region: game.region };
    const principalJson = JSON.stringify(server);
    const cold = await pairs(pool, ctx.concurrency * 8);
    const hot = await pairs(pool, HOT_ITEMS);
    const options = { iterations: ctx.iterations, concurrency: ctx.concurrency };
    const [inventoryApp, accountsApp, gatewayApp] = apps.map((app) => app.process.pid ?? 0);
    const cpu = cpuMeter({
      inventory: { pids: [inventoryApp] },
      accounts: { pids: [accountsApp] },
      gateway: { pids: [gatewayApp] },
      postgres: { name: 'postgres' },
      'nats-server': { name: 'nats-server' },
    });
    const pickCold = (i: number) => cold[i % cold.length];
    const pickHot = (i: number) => (Math.random() < HOT_SHARE ? hot[i % HOT_ITEMS] : cold[i % cold.length]);

    // Refusals by code: on hot items a move can lose the race to another move of the same item.
    const refused = new Map<string, number>();
    const tally = (work: Promise<unknown>) =>
      work.catch((error: unknown) => {
        const message = (error as Error).message;
        const code =
          (error as { code?: string }).code ?? /"code":"(\w+)"/.exec(message)?.[1] ?? message.slice(0, 40);
        refused.set(code, (refused.get(code) ?? 0) + 1);
        throw error;
      });
    const viaNats = (pair: Pair) =>
      tally(
        bus.call(InventoryOps.moveItem, { itemId: pair.itemId, ...nextMove(pair) }, { principal: server }),
      );
    const viaHttp = (pair: Pair) =>
      tally(postAsServer(agent, gateway, game.apiKey, `/v1/items/${pair.itemId}/move`, nextMove(pair)));
    const refusals = () => {
      const text = [...refused].map(([code, n]) => `${n} ${code}`).join(', ');
      refused.clear();
      // The moves name no source inventory, so a move queued behind another move of the same hot
      // item takes it from where that one left it; any refusal here is unexpected and shown.
      return text ? `; refused: ${text}` : '';
    };
    // The raw rows leave items wherever they are; the service rows learn it back from the table.
    const resync = async () => {
      const { rows } = await pool.query<{ id: string; inventory_id: string }>(
        `SELECT id, inventory_id FROM inventory_items WHERE id = ANY($1::uuid[])`,
        [[...cold, ...hot].map((p) => p.itemId)],
      );
      const at = new Map(rows.map((r) => [r.id, r.inventory_id]));
      for (const p of [...cold, ...hot]) p.inA = at.get(p.itemId) === p.a;
    };

    const shapes: [string, (i: number) => Pair, string][] = [
      ['uncontended', pickCold, 'every move on an item of its own'],
      ['80 % hot', pickHot, `${HOT_SHARE * 100} % of moves on ${HOT_ITEMS} items`],
    ];
    const rows: BenchRow[] = [];
    for (const [shape, pick, what] of shapes) {
      const timed = async (op: (i: number) => Promise<unknown>) => {
        const stop = cpu.start();
        const measured = await measure(op, options);
        return {
          measured,
          cpu: stop(options.iterations + Math.min(200, options.iterations)),
        };
      };
      const raw = await timed((i) => shuttleSql(pool, principalJson, pick(i)));
      await resync();
      const nats = await timed((i) => viaNats(pick(i)));
      const natsRefused = refusals();
      await resync();
      const http = await timed((i) => viaHttp(pick(i)));
      const httpRefused = refusals();
      await resync();
      rows.push(
        {
          operation: `item move via NATS (${shape})`,
          measured: nats.measured,
          raw: raw.measured,
          note:
            `inventory.item.move.v1 over NATS vs SELECT inventory.move_item(...) through pg, ${what}${natsRefused}` +
            `\n  - raw: ${raw.cpu}\n  - NATS: ${nats.cpu}`,
        },
        {
          operation: `item move via HTTP (${shape})`,
          measured: http.measured,
          raw: raw.measured,
          note: `POST /v1/items/{id}/move through the gateway vs the same raw column, ${what}${httpRefused}\n  - HTTP: ${http.cpu}`,
        },
      );
    }
    return rows;
  } finally {
    agent.destroy();
    await bus.close();
    await pool.end();
    // A graceful stop, so TN1_CPU_PROF_DIR profiles get written.
    await Promise.all(apps.map((app) => app.stop()));
    await ns.cleanup();
    await db.drop();
  }
}
