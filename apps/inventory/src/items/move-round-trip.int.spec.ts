/**
 * Issue 9: an item move is one database round trip. The service runs on the shared Prisma client
 * over a pool whose every statement is recorded; a move, an idempotent move, its replay, a refused move and a move naming
 * a stale source each send exactly one statement, and what they change is checked in the tables.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import { Pool, type PoolClient } from 'pg';
import { AppError, type Principal } from '@trustno1/contracts';
import {
  createPool,
  createPrismaClient,
  requestHash,
  type IdempotencyClaim,
  type PrismaClient,
} from '@trustno1/db';
import { createTestDatabase, factories, type TestDatabase } from '@trustno1/testing';
import { AccessRepository } from '../access/access.repository';
import { ItemsRepository } from './items.repository';
import { ItemsService } from './items.service';

describe('inventory.item.move.v1: one database round trip', () => {
  let db: TestDatabase;
  let pool: Pool;
  let prisma: PrismaClient;
  let seed: Pool;
  let items: ItemsService;
  let server: Extract<Principal, { kind: 'server' }>;
  let other: Extract<Principal, { kind: 'server' }>;
  let template: string;
  const statements: string[] = [];

  /** Every statement any client of `pool` sends, in order. */
  function record(target: Pool): void {
    target.on('connect', (client: PoolClient) => {
      const original = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
        const first = args[0] as string | { text: string };
        statements.push((typeof first === 'string' ? first : first.text).trim());
        return original(...args);
      };
    });
  }

  async function container(): Promise<string> {
    return (await factories(seed).inventory({ gridWidth: 6, gridHeight: 4 })).id;
  }

  async function item(inventoryId: string, quantity = 1): Promise<string> {
    const { rows } = await seed.query<{ id: string }>(
      `SELECT id FROM add_item($1, $2, $3, NULL, NULL, NULL, NULL, NULL, 'test')`,
      [inventoryId, template, quantity],
    );
    return rows[0].id;
  }

  const whereIs = async (itemId: string) =>
    (await seed.query(`SELECT inventory_id FROM inventory_items WHERE id = $1`, [itemId])).rows[0]
      ?.inventory_id as string | undefined;
  const ledgerRows = async (itemId: string) =>
    Number(
      (await seed.query(`SELECT count(*) AS n FROM item_ledger WHERE item_id = $1`, [itemId])).rows[0].n,
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool({ url: db.url, max: 4 });
    seed = new Pool({ connectionString: db.url, max: 2 });
    record(pool);
    prisma = createPrismaClient(pool);
    items = new ItemsService(prisma, new ItemsRepository(), new AccessRepository());
    const f = factories(seed);
    const [a, b] = [await f.gameServer(), await f.gameServer()];
    server = { kind: 'server', serverId: a.id, region: a.region };
    other = { kind: 'server', serverId: b.id, region: b.region };
    template = (await f.itemTemplate({ maxStack: 20 })).id;
  });

  afterAll(async () => {
    await prisma?.$disconnect();
    await pool?.end();
    await seed?.end();
    await db?.drop();
  });

  beforeEach(() => {
    statements.length = 0;
  });

  const claimOf = (key: string, payload: unknown): IdempotencyClaim => ({
    principal: `server:${server.serverId}`,
    key,
    requestHash: requestHash('inventory.item.move.v1', payload),
  });

  it('moves an item in one statement', async () => {
    const [from, to] = [await container(), await container()];
    const id = await item(from);
    statements.length = 0;
    const moved = await items.move(server, { itemId: id, toInventoryId: to, gridX: 2, gridY: 1 }, undefined);
    assert.equal(moved.operation, 'moved');
    assert.deepEqual(statements, [statements[0]]);
    assert.match(statements[0], /^SELECT inventory\.move_item\(/);
    assert.equal(await whereIs(id), to);
  });

  it('claims a key, moves and stores the response in one statement; the replay is one statement too', async () => {
    const [from, to] = [await container(), await container()];
    const id = await item(from, 5);
    const request = { itemId: id, toInventoryId: to, gridX: 0, gridY: 0, quantity: 2 };
    const claim = claimOf(randomUUID(), request);
    statements.length = 0;
    const first = await items.move(server, request, claim);
    assert.equal(statements.length, 1);
    const replay = await items.move(server, request, claim);
    assert.equal(statements.length, 2);
    assert.deepEqual(replay, first);
    assert.equal(first.operation, 'split');
    // One split ledger row for the new stack; the source stack was created once and split once.
    assert.equal(await ledgerRows(first.item.id), 1);
    const left = await seed.query(`SELECT quantity FROM inventory_items WHERE id = $1`, [id]);
    assert.equal(left.rows[0].quantity, 3);
  });

  it('refuses the same key with another request in one statement and changes nothing', async () => {
    const [from, to] = [await container(), await container()];
    const id = await item(from);
    const key = randomUUID();
    const request = { itemId: id, toInventoryId: to, gridX: 0, gridY: 0 };
    await items.move(server, request, claimOf(key, request));
    const again = { ...request, toInventoryId: from };
    statements.length = 0;
    await assert.rejects(
      items.move(server, again, claimOf(key, again)),
      (e: unknown) => e instanceof AppError && e.code === 'IDEMPOTENCY_KEY_REUSED',
    );
    assert.equal(statements.length, 1);
    assert.equal(await whereIs(id), to);
  });

  it('refuses another server’s player inventory in one statement and changes nothing', async () => {
    const character = await factories(seed).character();
    const id = await item(character.inventoryId);
    const to = await container();
    statements.length = 0;
    await assert.rejects(
      items.move(server, { itemId: id, toInventoryId: to, gridX: 0, gridY: 0 }, undefined),
      (e: unknown) => e instanceof AppError && e.code === 'FORBIDDEN',
    );
    assert.equal(statements.length, 1);
    assert.equal(await whereIs(id), character.inventoryId);
    assert.equal(await ledgerRows(id), 1);
    // The same move by the server the character joined is allowed.
    await seed.query(`UPDATE players SET server_id = $1 WHERE id = $2`, [other.serverId, character.id]);
    await items.move(other, { itemId: id, toInventoryId: to, gridX: 0, gridY: 0 }, undefined);
    assert.equal(await whereIs(id), to);
  });

  it('answers 409 ITEM_MOVED in one statement when the item is not in the stated source', async () => {
    const [from, to, elsewhere] = [await container(), await container(), await container()];
    const id = await item(from);
    statements.length = 0;
    await assert.rejects(
      items.move(
        server,
        { itemId: id, toInventoryId: to, fromInventoryId: elsewhere, gridX: 0, gridY: 0 },
        undefined,
      ),
      (e: unknown) =>
        e instanceof AppError &&
        e.code === 'CONFLICT' &&
        (e.details as { reason?: string } | undefined)?.reason === 'ITEM_MOVED',
    );
    assert.equal(statements.length, 1);
    assert.equal(await whereIs(id), from);
  });

  it('of 50 racing moves naming the item’s source, exactly one succeeds', async () => {
    const from = await container();
    const id = await item(from);
    const targets = await Promise.all(Array.from({ length: 50 }, () => container()));
    const outcomes = await Promise.allSettled(
      targets.map((to) =>
        items.move(
          server,
          { itemId: id, toInventoryId: to, fromInventoryId: from, gridX: 0, gridY: 0 },
          undefined,
        ),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    assert.equal(won.length, 1);
    for (const o of outcomes) {
      if (o.status === 'rejected') assert.equal((o.reason as AppError).code, 'CONFLICT');
    }
    const moves = await seed.query(
      `SELECT count(*)::int AS n FROM item_ledger WHERE item_id = $1 AND operation = 'move'`,
      [id],
    );
    assert.equal(moves.rows[0].n, 1);
    assert.ok(targets.includes((await whereIs(id)) as string));
  });

  it('without a stated source, racing moves each take the item from where it is then', async () => {
    const from = await container();
    const id = await item(from);
    const targets = await Promise.all(Array.from({ length: 10 }, () => container()));
    const outcomes = await Promise.allSettled(
      targets.map((to) =>
        items.move(server, { itemId: id, toInventoryId: to, gridX: 0, gridY: 0 }, undefined),
      ),
    );
    assert.ok(outcomes.every((o) => o.status === 'fulfilled'));
    const moves = await seed.query(
      `SELECT count(*)::int AS n FROM item_ledger WHERE item_id = $1 AND operation = 'move'`,
      [id],
    );
    assert.equal(moves.rows[0].n, 10);
  });
});
