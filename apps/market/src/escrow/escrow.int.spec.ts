// The market's foundation on a migrated database, called as the market's own role: wallet_move
// (every money move) and inventory's published market_* functions (every item move in and out of
// escrow), each with its ledger row.
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { appSearchPath, databaseRole, withDatabaseUser, withSearchPath } from '@trustno1/db';
import { createTestDatabase, factories, type Factories, type TestDatabase } from '@trustno1/testing';

interface PgError {
  message: string;
  detail?: string;
}
const rejectsWith = async (work: Promise<unknown>, code: string, detail?: Record<string, unknown>) => {
  await assert.rejects(work, (error: PgError) => {
    assert.equal(error.message, code);
    if (detail) {
      const parsed = JSON.parse(error.detail ?? '{}') as Record<string, unknown>;
      for (const [key, value] of Object.entries(detail)) assert.deepEqual(parsed[key], value, key);
    }
    return true;
  });
};

describe('market foundation: wallet_move and the market_* item functions', () => {
  let db: TestDatabase;
  let admin: Pool;
  let market: Pool;
  let f: Factories;
  let tpl: string;
  let rifle: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    admin = new Pool({ connectionString: db.url, max: 2 });
    market = new Pool({
      connectionString: withSearchPath(
        withDatabaseUser(db.url, databaseRole('market')),
        appSearchPath('market'),
      ),
      max: 8,
    });
    f = factories(admin);
    tpl = (await f.itemTemplate({ maxStack: 100 })).id;
    rifle = (await f.itemTemplate({ width: 2, height: 1, maxStack: 1 })).id;
    await admin.query(`UPDATE item_templates SET max_durability = 100 WHERE id = $1`, [rifle]);
  });
  afterAll(async () => {
    await market?.end();
    await admin?.end();
    await db?.drop();
  });

  const move = (player: string, delta: number, reason: string, key: string | null = null) =>
    market
      .query<{ balance: string }>(`SELECT market.wallet_move($1, 'scrap', $2, $3, 'test', $4) AS balance`, [
        player,
        delta,
        reason,
        key,
      ])
      .then((r) => Number(r.rows[0].balance));
  const wallet = async (player: string) => {
    const { rows } = await admin.query<{ balance: string; ledger: string; rows: number }>(
      `SELECT w.balance, (SELECT COALESCE(sum(delta), 0) FROM wallet_ledger l
                           WHERE l.player_id = w.player_id AND l.currency = w.currency) AS ledger,
              (SELECT count(*)::int FROM wallet_ledger l WHERE l.player_id = w.player_id) AS rows
         FROM wallets w WHERE w.player_id = $1 AND w.currency = 'scrap'`,
      [player],
    );
    return { balance: Number(rows[0].balance), ledger: Number(rows[0].ledger), rows: rows[0].rows };
  };
  const firstItem = async (inventoryId: string) =>
    (
      await admin.query<{ id: string; quantity: number }>(
        `SELECT id, quantity FROM inventory_items WHERE inventory_id = $1 ORDER BY grid_y, grid_x LIMIT 1`,
        [inventoryId],
      )
    ).rows[0];
  const totals = async (template: string) =>
    (
      await admin.query<{ held: string; replayed: string }>(
        `SELECT (SELECT COALESCE(sum(quantity), 0) FROM inventory_items WHERE item_template_id = $1) AS held,
                (SELECT COALESCE(sum(CASE WHEN to_inventory_id IS NOT NULL THEN quantity ELSE 0 END)
                               - sum(CASE WHEN from_inventory_id IS NOT NULL THEN quantity ELSE 0 END), 0)
                   FROM item_ledger WHERE template_id = $1) AS replayed`,
        [template],
      )
    ).rows[0];

  describe('wallet_move', () => {
    it('credits and debits with one ledger row each; the ledger sums to the balance', async () => {
      const p = await f.character();
      assert.equal(await move(p.id, 500, 'quest_reward'), 500);
      assert.equal(await move(p.id, -120, 'listing_fee'), 380);
      assert.deepEqual(await wallet(p.id), { balance: 380, ledger: 380, rows: 2 });
    });

    it('refuses a balance below zero with INSUFFICIENT_FUNDS and changes nothing', async () => {
      const p = await f.character();
      await move(p.id, 10, 'loot');
      await rejectsWith(move(p.id, -11, 'npc_purchase'), 'INSUFFICIENT_FUNDS', { balance: 10, required: 11 });
      assert.deepEqual(await wallet(p.id), { balance: 10, ledger: 10, rows: 1 });
    });

    it('a key already on the ledger changes nothing again; the key for another move is refused', async () => {
      const p = await f.character();
      const key = `k-${randomUUID()}`;
      assert.equal(await move(p.id, 70, 'admin_grant', key), 70);
      assert.equal(await move(p.id, 70, 'admin_grant', key), 70);
      await rejectsWith(move(p.id, 71, 'admin_grant', key), 'IDEMPOTENCY_KEY_REUSED');
      assert.deepEqual(await wallet(p.id), { balance: 70, ledger: 70, rows: 1 });
    });

    it('refuses a reason outside the documented list, a zero amount and a wallet that does not exist', async () => {
      const p = await f.character();
      await rejectsWith(move(p.id, 5, 'free_money'), 'VALIDATION_FAILED', { field: 'reason' });
      await rejectsWith(move(p.id, 0, 'loot'), 'VALIDATION_FAILED', { field: 'amount' });
      await rejectsWith(move(randomUUID(), 5, 'loot'), 'NOT_FOUND', { reason: 'NO_WALLET' });
      assert.deepEqual(await wallet(p.id), { balance: 0, ledger: 0, rows: 0 });
    });

    it('30 racing debits of 10 from 100: exactly 10 succeed, the balance ends at 0', async () => {
      const p = await f.character();
      await move(p.id, 100, 'loot');
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, () => move(p.id, -10, 'npc_purchase')),
      );
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
      for (const r of results) {
        if (r.status === 'rejected') assert.equal((r.reason as PgError).message, 'INSUFFICIENT_FUNDS');
      }
      assert.deepEqual(await wallet(p.id), { balance: 0, ledger: 0, rows: 11 });
    });

    it('classifies every reason as a source, a sink or a transfer', async () => {
      const { rows } = await market.query<{ kinds: string[] }>(
        `SELECT array_agg(market.wallet_reason_kind(r) ORDER BY r) AS kinds
           FROM unnest(ARRAY['loot', 'sales_tax', 'listing_fee', 'market_sale', 'trade_in', 'nope']) r`,
      );
      assert.deepEqual(rows[0].kinds, ['sink', 'source', 'transfer', null, 'sink', 'transfer']);
    });
  });

  describe('market_escrow_item, market_deliver_item, market_move_to_claim', () => {
    const escrow = (item: string, player: string, quantity: number | null, owner = randomUUID()) =>
      market
        .query<{
          r: { inventoryId: string; item: Record<string, unknown>; source: Record<string, unknown> | null };
        }>(`SELECT inventory.market_escrow_item($1, $2, $3, $4, 'market_listing', 'test') AS r`, [
          item,
          player,
          quantity,
          owner,
        ])
        .then((r) => r.rows[0].r);
    const deliver = (item: string, quantity: number | null, player: string, to: string | null = null) =>
      market
        .query<{
          r: { placed: boolean; reason?: string; inventoryId?: string; item?: Record<string, unknown> };
        }>(`SELECT inventory.market_deliver_item($1, $2, $3, $4, 'market_purchase', 'test') AS r`, [
          item,
          quantity,
          player,
          to,
        ])
        .then((r) => r.rows[0].r);

    it('splits the listed part of a stack into a market inventory of its own, through the item ledger', async () => {
      const seller = await f.character();
      await admin.query(
        `SELECT add_item($1, $2, 40, NULL, NULL, NULL, NULL, '{"dye":"red"}', 'loot', 'test')`,
        [seller.inventoryId, tpl],
      );
      const stack = await firstItem(seller.inventoryId);
      const before = await totals(tpl);
      const r = await escrow(stack.id, seller.id, 15);
      assert.equal(r.item.quantity, 15);
      assert.deepEqual(r.item.customData, { dye: 'red' });
      assert.equal(r.source?.quantity, 25);
      const { rows } = await admin.query(
        `SELECT owner_type, grid_width, grid_height FROM inventories WHERE id = $1`,
        [r.inventoryId],
      );
      assert.deepEqual(rows[0], { owner_type: 'market', grid_width: 1, grid_height: 1 });
      const ledger = await admin.query(
        `SELECT operation, quantity, from_inventory_id, to_inventory_id FROM item_ledger WHERE to_inventory_id = $1`,
        [r.inventoryId],
      );
      assert.deepEqual(ledger.rows, [
        {
          operation: 'split',
          quantity: 15,
          from_inventory_id: seller.inventoryId,
          to_inventory_id: r.inventoryId,
        },
      ]);
      assert.deepEqual(await totals(tpl), before);
    });

    it('moves a whole item with its durability and attachments', async () => {
      const seller = await f.character();
      await admin.query(
        `SELECT add_item($1, $2, 1, NULL, NULL, 42.5, '[{"slot":"scope","id":"x4"}]', NULL, 'loot', 'test')`,
        [seller.inventoryId, rifle],
      );
      const gun = await firstItem(seller.inventoryId);
      const r = await escrow(gun.id, seller.id, null);
      assert.equal(r.item.id, gun.id);
      assert.equal(r.item.durability, 42.5);
      assert.deepEqual(r.item.attachments, [{ slot: 'scope', id: 'x4' }]);
      assert.equal(r.source, null);
      const { rows } = await admin.query(`SELECT grid_width, grid_height FROM inventories WHERE id = $1`, [
        r.inventoryId,
      ]);
      assert.deepEqual(rows[0], { grid_width: 2, grid_height: 1 });
    });

    it("refuses someone else's item, an escrowed item and a quantity above the stack, changing nothing", async () => {
      const seller = await f.character();
      const other = await f.character();
      await admin.query(`SELECT add_item($1, $2, 5, NULL, NULL, NULL, NULL, NULL, 'loot', 'test')`, [
        seller.inventoryId,
        tpl,
      ]);
      const stack = await firstItem(seller.inventoryId);
      await rejectsWith(escrow(stack.id, other.id, 1), 'FORBIDDEN', { reason: 'NOT_YOURS' });
      await rejectsWith(escrow(stack.id, seller.id, 6), 'VALIDATION_FAILED', { field: 'quantity' });
      await rejectsWith(escrow(randomUUID(), seller.id, 1), 'NOT_FOUND');
      assert.equal((await firstItem(seller.inventoryId)).quantity, 5);
      const r = await escrow(stack.id, seller.id, null);
      await rejectsWith(escrow(stack.id, seller.id, null), 'FORBIDDEN', { reason: 'ITEM_IN_ESCROW' });
      assert.equal(r.item.quantity, 5);
    });

    it('delivers to the first free place, and an emptied escrow inventory goes away', async () => {
      const seller = await f.character();
      const buyer = await f.character();
      await admin.query(`SELECT add_item($1, $2, 10, NULL, NULL, NULL, NULL, NULL, 'loot', 'test')`, [
        seller.inventoryId,
        tpl,
      ]);
      const stack = await firstItem(seller.inventoryId);
      const r = await escrow(stack.id, seller.id, null);
      const part = await deliver(stack.id, 4, buyer.id);
      assert.equal(part.placed, true);
      assert.equal(part.inventoryId, buyer.inventoryId);
      assert.equal(part.item?.quantity, 4);
      const rest = await deliver(stack.id, null, buyer.id, buyer.inventoryId);
      assert.equal(rest.item?.quantity, 6);
      const { rows } = await admin.query(`SELECT 1 FROM inventories WHERE id = $1`, [r.inventoryId]);
      assert.equal(rows.length, 0);
    });

    it("answers NO_ROOM without a change, refuses another player's inventory, and moves to a claim", async () => {
      const seller = await f.character();
      const buyer = await f.character();
      await admin.query(`UPDATE inventories SET grid_width = 1, grid_height = 1 WHERE id = $1`, [
        buyer.inventoryId,
      ]);
      await admin.query(`SELECT add_item($1, $2, 1, NULL, NULL, NULL, NULL, NULL, 'loot', 'test')`, [
        buyer.inventoryId,
        tpl,
      ]);
      await admin.query(`SELECT add_item($1, $2, 3, NULL, NULL, NULL, NULL, NULL, 'loot', 'test')`, [
        seller.inventoryId,
        tpl,
      ]);
      const stack = await firstItem(seller.inventoryId);
      const r = await escrow(stack.id, seller.id, null);
      const ledgerRows = async () =>
        Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM item_ledger`)).rows[0].n);
      const before = await ledgerRows();
      assert.deepEqual(await deliver(stack.id, 1, buyer.id), { placed: false, reason: 'NO_ROOM' });
      await rejectsWith(deliver(stack.id, 1, buyer.id, seller.inventoryId), 'FORBIDDEN', {
        reason: 'NOT_YOURS',
      });
      assert.equal(await ledgerRows(), before);
      const claimOwner = randomUUID();
      const { rows } = await market.query<{ r: { inventoryId: string; item: { quantity: number } } }>(
        `SELECT inventory.market_move_to_claim($1, 2, $2, 'market_claim', 'test') AS r`,
        [stack.id, claimOwner],
      );
      assert.equal(rows[0].r.item.quantity, 2);
      const owners = await admin.query(`SELECT owner_id, owner_type FROM inventories WHERE id = $1`, [
        rows[0].r.inventoryId,
      ]);
      assert.deepEqual(owners.rows[0], { owner_id: claimOwner, owner_type: 'market' });
      assert.equal((await firstItem(r.inventoryId)).quantity, 1);
      await rejectsWith(
        market.query(`SELECT inventory.market_deliver_item($1, NULL, $2, NULL, 'x', 'y')`, [
          (await firstItem(buyer.inventoryId)).id,
          buyer.id,
        ]),
        'FORBIDDEN',
        { reason: 'NOT_IN_ESCROW' },
      );
    });

    it('the market role cannot write inventory tables nor call the private helpers', async () => {
      await assert.rejects(market.query(`DELETE FROM inventory.inventory_items`), { code: '42501' });
      await assert.rejects(market.query(`SELECT inventory.inv_market_drop_if_empty($1)`, [randomUUID()]), {
        code: '42501',
      });
    });
  });
});
