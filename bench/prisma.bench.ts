/**
 * Prisma rows (issue 9 item 5): the hot procedure call, `SELECT inventory.move_item(...)`, sent
 * through the shared Prisma client of libs/db (`$queryRaw` on @prisma/adapter-pg over the same
 * kind of pg pool) beside the same statement through pg, at the same concurrency, plus a typed
 * model read (`inventoryItem.findUnique`) beside its SQL. Shows what Prisma costs per statement.
 */
import { type Pool, type PoolClient } from 'pg';
import type { Principal } from '@trustno1/contracts';
import { createPool, createPrismaClient } from '@trustno1/db';
import { createTestDatabase, factories } from '@trustno1/testing';
import type { BenchContext } from './lib/context';
import { measure } from './lib/measure';
import type { BenchRow } from './lib/table';

interface Pair {
  itemId: string;
  a: string;
  b: string;
}

async function pairs(pool: Pool, count: number): Promise<Pair[]> {
  const out: Pair[] = [];
  const f = factories(pool);
  await f.itemTemplate({ id: 'bench_rifle', width: 2, height: 4, weight: 4 });
  for (let i = 0; i < count; i++) {
    const [a, b] = [
      await f.inventory({ gridWidth: 6, gridHeight: 6 }),
      await f.inventory({ gridWidth: 6, gridHeight: 6 }),
    ];
    const item = await pool.query<{ id: string }>(
      `SELECT id FROM add_item($1, 'bench_rifle', 1, 0, 0, NULL, NULL, NULL, 'bench')`,
      [a.id],
    );
    out.push({ itemId: item.rows[0].id, a: a.id, b: b.id });
  }
  return out;
}

const MOVE = `SELECT inventory.move_item($1::jsonb, NULL, NULL, $2::uuid,
                CASE WHEN (SELECT inventory_id FROM inventory_items WHERE id = $2::uuid) = $3::uuid THEN $4::uuid ELSE $3::uuid END,
                0, 0, NULL, NULL, NULL, NULL, 'move') AS result`;

export async function prismaRows(ctx: BenchContext): Promise<BenchRow[]> {
  const db = await createTestDatabase();
  const pool = createPool({ url: db.url, max: ctx.concurrency });
  const prismaPool = createPool({ url: db.url, max: ctx.concurrency });
  const prisma = createPrismaClient(prismaPool);
  try {
    const game = await factories(pool).gameServer();
    const principal = JSON.stringify({
      kind: 'server',
      serverId: game.id,
      region: game.region,
    } satisfies Principal);
    const all = await pairs(pool, ctx.concurrency * 4);
    const pick = (i: number) => all[i % all.length];
    const options = { iterations: ctx.iterations, concurrency: ctx.concurrency };

    // The way the service sends it: a pooled client checked out and given back whole.
    const viaPg = async (pair: Pair) => {
      const client: PoolClient = await pool.connect();
      try {
        await client.query(MOVE, [principal, pair.itemId, pair.a, pair.b]);
      } finally {
        client.release();
      }
    };
    const viaPrisma = (pair: Pair) => prisma.$queryRawUnsafe(MOVE, principal, pair.itemId, pair.a, pair.b);
    const readPg = async (pair: Pair) => {
      const client = await pool.connect();
      try {
        await client.query(
          `SELECT id, inventory_id, item_template_id, grid_x, grid_y, quantity FROM inventory_items WHERE id = $1`,
          [pair.itemId],
        );
      } finally {
        client.release();
      }
    };
    const readPrisma = (pair: Pair) =>
      prisma.inventoryItem.findUnique({
        where: { id: pair.itemId },
        select: {
          id: true,
          inventoryId: true,
          itemTemplateId: true,
          gridX: true,
          gridY: true,
          quantity: true,
        },
      });

    const rawMove = await measure((i) => viaPg(pick(i)), options);
    const prismaMove = await measure((i) => viaPrisma(pick(i)), options);
    const rawRead = await measure((i) => readPg(pick(i)), options);
    const prismaRead = await measure((i) => readPrisma(pick(i)), options);
    return [
      {
        operation: 'item move via Prisma $queryRaw',
        measured: prismaMove,
        raw: rawMove,
        note: 'SELECT inventory.move_item(...) through the shared Prisma client vs through pg, same pool size',
      },
      {
        operation: 'item read via Prisma findUnique',
        measured: prismaRead,
        raw: rawRead,
        note: 'prisma.inventoryItem.findUnique vs the same SELECT through pg',
      },
    ];
  } finally {
    await prisma.$disconnect();
    await prismaPool.end();
    await pool.end();
    await db.drop();
  }
}
