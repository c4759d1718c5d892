/**
 * The market end to end, as a game server calls it through the gateway (issue 13, rules 1 to 5):
 * wallets (credit, debit, ledger, keys), listings (escrow, fee, limit, search), purchases (tax,
 * partial, sold out, no room: a claim), cancel, claims, the refusals with the database checksummed
 * unchanged, and the races: 50 buyers of one unit, 50 single-unit buyers of 20, cancel racing buyers.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import { BusClient } from '@trustno1/bus';
import {
  MarketOps,
  type ClaimView,
  type ListingsPageView,
  type ListingView,
  type PurchaseView,
  type WalletLedgerView,
  type WalletView,
} from '@trustno1/contracts';
import {
  call,
  codeOf,
  detailsOf,
  factories,
  fieldsOf,
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY,
  type Factories,
  type Reply,
  type TestCluster,
} from '@trustno1/testing';

type Headers = Record<string, string>;
const ADMIN = { 'x-admin-key': TEST_ADMIN_KEY };
const MAX_LISTINGS = 4;

describe('the market through the gateway', () => {
  let cluster: TestCluster;
  let f: Factories;
  let server: { id: string; headers: Headers };
  let other: { id: string; headers: Headers };
  let ore: string;
  let rifle: string;

  /** A character joined to the server holding `items`, with `scrap` coins credited through the API. */
  const trader = async (
    scrap = 0,
    items: [string, number][] = [],
    serverId = server.id,
    accountId?: string,
  ) => {
    const c = await f.joinedCharacter(serverId, items, accountId ? { accountId } : {});
    if (scrap > 0) {
      const r = await credit(c.id, scrap);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    return c;
  };
  const credit = (playerId: string, amount: number, headers: Headers = server.headers, key?: string) =>
    call<WalletView>(cluster.url, 'POST', `/v1/players/${playerId}/wallets/scrap/credit`, {
      headers: key ? { ...headers, 'idempotency-key': key } : headers,
      body: { amount, reason: 'quest_reward' },
    });
  const balance = async (playerId: string, currency = 'scrap') =>
    Number(
      (
        await cluster.pool.query<{ balance: string }>(
          `SELECT balance FROM wallets WHERE player_id = $1 AND currency = $2`,
          [playerId, currency],
        )
      ).rows[0].balance,
    );
  const itemsOf = async (inventoryId: string) =>
    (
      await cluster.pool.query<{ id: string; item_template_id: string; quantity: number }>(
        `SELECT id, item_template_id, quantity FROM inventory_items WHERE inventory_id = $1 ORDER BY grid_y, grid_x`,
        [inventoryId],
      )
    ).rows;
  const list = (body: Record<string, unknown>, headers: Headers = server.headers) =>
    call<ListingView>(cluster.url, 'POST', '/v1/market/listings', {
      headers,
      body: { currency: 'scrap', locationType: 'global', expiresInHours: 24, ...body },
    });
  const listItem = async (
    seller: { id: string; inventoryId: string },
    quantity: number,
    pricePerUnit: number,
  ) => {
    const [stack] = await itemsOf(seller.inventoryId);
    const r = await list({ sellerId: seller.id, itemId: stack.id, quantity, pricePerUnit });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const buy = (listingId: string, body: Record<string, unknown>, headers: Headers = server.headers) =>
    call<PurchaseView>(cluster.url, 'POST', `/v1/market/listings/${listingId}/purchase`, { headers, body });

  /** Everything a market operation can change, hashed: a refused request must leave it as it was. */
  async function checksum(): Promise<string> {
    const { rows } = await cluster.pool.query<{ sum: string }>(
      `SELECT md5(concat_ws('|',
          (SELECT string_agg(t::text, ';' ORDER BY t.player_id, t.currency) FROM wallets t),
          (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM wallet_ledger t),
          (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM market_listings t),
          (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM transactions t),
          (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM claims t),
          (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM inventories t),
          (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM inventory_items t),
          (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM item_ledger t),
          (SELECT string_agg(concat_ws(',', t.id, t.subject, t.payload::text), ';' ORDER BY t.id) FROM outbox t
            WHERE t.subject LIKE 'evt.market.%'),
          (SELECT count(*) FROM idempotency_keys))) AS sum`,
    );
    return rows[0].sum;
  }

  /** Items and money of a test: every unit of `template` and every coin on a ledger, accounted for. */
  async function assertConserved(template: string): Promise<void> {
    const { rows } = await cluster.pool.query<{ held: string; replayed: string }>(
      `SELECT (SELECT COALESCE(sum(quantity), 0) FROM inventory_items WHERE item_template_id = $1) AS held,
              (SELECT COALESCE(sum(quantity) FILTER (WHERE to_inventory_id IS NOT NULL), 0)
                    - COALESCE(sum(quantity) FILTER (WHERE from_inventory_id IS NOT NULL), 0)
                 FROM item_ledger WHERE template_id = $1) AS replayed`,
      [template],
    );
    assert.equal(rows[0].held, rows[0].replayed, `items of ${template}`);
    const money = await cluster.pool.query<{ mismatches: number }>(
      `SELECT mismatches FROM market.verify_wallet_ledger()`,
    );
    assert.equal(money.rows[0].mismatches, 0);
  }

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'inventory', 'market', 'gateway'], {
      MARKET_MAX_LISTINGS_PER_PLAYER: String(MAX_LISTINGS),
      LISTING_FEE_PERCENT: '1',
      SALES_TAX_PERCENT: '5',
    });
    f = factories(cluster.pool);
    ore = (await f.itemTemplate({ id: 'metal_ore_test', maxStack: 100, weight: 0.01 })).id;
    rifle = (await f.itemTemplate({ id: 'rifle_test', width: 2, height: 1, maxStack: 1 })).id;
    await cluster.pool.query(`UPDATE item_templates SET max_durability = 100 WHERE id = $1`, [rifle]);
    [server, other] = await Promise.all([
      registerServer(cluster.url, TEST_ADMIN_KEY),
      registerServer(cluster.url, TEST_ADMIN_KEY),
    ]);
  });
  afterAll(() => cluster?.stop());

  describe('wallets', () => {
    it("lets an operator grant and revoke with the operators' reasons", async () => {
      const p = await trader();
      const move = (verb: 'credit' | 'debit', amount: number, reason: string) =>
        call<WalletView>(cluster.url, 'POST', `/v1/players/${p.id}/wallets/hqm/${verb}`, {
          headers: ADMIN,
          body: { amount, reason, reference: 'ticket-42' },
        });
      assert.deepEqual((await move('credit', 50, 'admin_grant')).body, { currency: 'hqm', balance: 50 });
      assert.deepEqual((await move('debit', 20, 'admin_revoke')).body, { currency: 'hqm', balance: 30 });
    });

    it('credits and debits with one ledger row each; a keyed credit sent twice counts once', async () => {
      const p = await trader();
      const key = randomUUID();
      const [a, b] = await Promise.all([
        credit(p.id, 300, server.headers, key),
        credit(p.id, 300, server.headers, key),
      ]);
      assert.deepEqual([a.status, b.status], [200, 200]);
      assert.deepEqual(a.body, { currency: 'scrap', balance: 300 });
      assert.deepEqual(b.body, a.body);
      const debit = await call<WalletView>(cluster.url, 'POST', `/v1/players/${p.id}/wallets/scrap/debit`, {
        headers: server.headers,
        body: { amount: 120, reason: 'repair_cost', reference: 'bench-7' },
      });
      assert.deepEqual([debit.status, debit.body], [200, { currency: 'scrap', balance: 180 }]);
      const wallets = await call<WalletView[]>(cluster.url, 'GET', `/v1/players/${p.id}/wallets`, {
        headers: server.headers,
      });
      assert.deepEqual(wallets.body, [
        { currency: 'scrap', balance: 180 },
        { currency: 'hqm', balance: 0 },
        { currency: 'credits', balance: 0 },
      ]);
      const ledger = await call<WalletLedgerView>(
        cluster.url,
        'GET',
        `/v1/players/${p.id}/wallets/scrap/ledger`,
        {
          headers: ADMIN,
        },
      );
      assert.deepEqual(
        ledger.body.entries.map((e) => [e.delta, e.balanceAfter, e.reason, e.reference]),
        [
          [-120, 180, 'repair_cost', 'bench-7'],
          [300, 300, 'quest_reward', null],
        ],
      );
    });

    it('a debit below zero is 422 INSUFFICIENT_FUNDS and changes nothing', async () => {
      const p = await trader(50);
      const before = await checksum();
      const r = await call(cluster.url, 'POST', `/v1/players/${p.id}/wallets/scrap/debit`, {
        headers: server.headers,
        body: { amount: 51, reason: 'npc_purchase' },
      });
      assert.deepEqual([r.status, codeOf(r)], [422, 'INSUFFICIENT_FUNDS']);
      assert.equal(await checksum(), before);
    });

    it('pages the ledger newest first with a cursor; a player reads its own wallets only', async () => {
      const a = await signUp(cluster.url);
      const p = await trader(0, [], server.id, a.accountId);
      for (let i = 1; i <= 5; i += 1) assert.equal((await credit(p.id, i)).status, 200);
      const first = await call<WalletLedgerView>(
        cluster.url,
        'GET',
        `/v1/players/${p.id}/wallets/scrap/ledger?limit=2`,
        { headers: a.headers },
      );
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(
        first.body.entries.map((e) => e.delta),
        [5, 4],
      );
      assert.ok(first.body.nextCursor);
      const second = await call<WalletLedgerView>(
        cluster.url,
        'GET',
        `/v1/players/${p.id}/wallets/scrap/ledger?limit=2&cursor=${first.body.nextCursor}`,
        { headers: a.headers },
      );
      assert.deepEqual(
        second.body.entries.map((e) => e.delta),
        [3, 2],
      );
      const b = await signUp(cluster.url);
      const theirs = await call(cluster.url, 'GET', `/v1/players/${p.id}/wallets`, { headers: b.headers });
      assert.deepEqual([theirs.status, detailsOf(theirs).reason], [403, 'NOT_YOURS']);
      const otherServer = await call(cluster.url, 'GET', `/v1/players/${p.id}/wallets`, {
        headers: other.headers,
      });
      assert.deepEqual(
        [otherServer.status, detailsOf(otherServer).reason],
        [403, 'NOT_JOINED_TO_THIS_SERVER'],
      );
    });
  });

  describe('listings and purchases', () => {
    it('a listing moves the quantity into escrow and takes the fee; a purchase pays the seller less the tax', async () => {
      const seller = await trader(100, [[ore, 50]]);
      const buyer = await trader(10_000);
      const listing = await listItem(seller, 30, 77);
      assert.deepEqual(
        [listing.quantity, listing.remaining, listing.pricePerUnit, listing.status, listing.listingFee],
        [30, 30, 77, 'active', 24], // ceil(30 × 77 × 1 %) = ceil(23.1)
      );
      assert.equal(await balance(seller.id), 76);
      assert.deepEqual(
        (await itemsOf(seller.inventoryId)).map((i) => i.quantity),
        [20],
      );
      const escrow = await cluster.pool.query(
        `SELECT owner_type, owner_id FROM inventories WHERE id = (
          SELECT escrow_inventory_id FROM market_listings WHERE id = $1)`,
        [listing.id],
      );
      assert.deepEqual(escrow.rows[0], { owner_type: 'market', owner_id: listing.id });

      const part = await buy(listing.id, { buyerId: buyer.id, quantity: 10 });
      assert.equal(part.status, 200, JSON.stringify(part.body));
      assert.deepEqual(
        [
          part.body.transaction.totalPrice,
          part.body.transaction.salesTax,
          part.body.item?.quantity,
          part.body.claim,
        ],
        [770, 38, 10, null], // floor(770 × 5 %)
      );
      assert.equal(part.body.item?.inventoryId, buyer.inventoryId);
      assert.equal(await balance(buyer.id), 10_000 - 770);
      assert.equal(await balance(seller.id), 76 + 770 - 38);
      assert.deepEqual([part.body.listing.remaining, part.body.listing.status], [20, 'active']);

      const rest = await buy(listing.id, {
        buyerId: buyer.id,
        quantity: 20,
        toInventoryId: buyer.inventoryId,
      });
      assert.equal(rest.status, 200, JSON.stringify(rest.body));
      assert.deepEqual([rest.body.listing.status, rest.body.listing.remaining], ['sold_out', 0]);
      const again = await buy(listing.id, { buyerId: buyer.id, quantity: 1 });
      assert.deepEqual([again.status, codeOf(again)], [409, 'LISTING_SOLD_OUT']);
      const tx = await cluster.pool.query(
        `SELECT buyer_id, seller_id, quantity, total_price::int, transaction_type FROM transactions
          WHERE listing_id = $1 ORDER BY quantity`,
        [listing.id],
      );
      assert.deepEqual(tx.rows, [
        {
          buyer_id: buyer.id,
          seller_id: seller.id,
          quantity: 10,
          total_price: 770,
          transaction_type: 'market_purchase',
        },
        {
          buyer_id: buyer.id,
          seller_id: seller.id,
          quantity: 20,
          total_price: 1540,
          transaction_type: 'market_purchase',
        },
      ]);
      const sinks = await cluster.pool.query<{ reason: string; sum: string }>(
        `SELECT reason, sum(delta) AS sum FROM wallet_ledger WHERE player_id = $1 GROUP BY reason ORDER BY reason`,
        [seller.id],
      );
      assert.deepEqual(
        sinks.rows.map((r) => [r.reason, Number(r.sum)]),
        [
          ['listing_fee', -24],
          ['market_sale', 2310],
          ['quest_reward', 100],
          ['sales_tax', -38 - 77],
        ],
      );
      const escrowGone = await cluster.pool.query(`SELECT 1 FROM inventories WHERE owner_id = $1`, [
        listing.id,
      ]);
      assert.equal(escrowGone.rows.length, 0);
      await assertConserved(ore);
    });

    it('a keyed listing and a keyed purchase sent twice happen once; the key with another body is refused', async () => {
      const seller = await trader(100, [[ore, 10]]);
      const buyer = await trader(1000);
      const [stack] = await itemsOf(seller.inventoryId);
      const key = randomUUID();
      const body = { sellerId: seller.id, itemId: stack.id, quantity: 4, pricePerUnit: 9 };
      const keyed = { ...server.headers, 'idempotency-key': key };
      const [a, b] = await Promise.all([list(body, keyed), list(body, keyed)]);
      assert.deepEqual([a.status, b.status], [201, 201]);
      assert.deepEqual(b.body, a.body);
      const listings = await cluster.pool.query(`SELECT id FROM market_listings WHERE seller_id = $1`, [
        seller.id,
      ]);
      assert.equal(listings.rows.length, 1);
      assert.equal(await balance(seller.id), 99);
      const buyKey = { ...server.headers, 'idempotency-key': randomUUID() };
      const first = await buy(a.body.id, { buyerId: buyer.id, quantity: 1 }, buyKey);
      const again = await buy(a.body.id, { buyerId: buyer.id, quantity: 1 }, buyKey);
      assert.deepEqual([first.status, again.status], [200, 200]);
      assert.deepEqual(again.body, first.body);
      const other = await buy(a.body.id, { buyerId: buyer.id, quantity: 2 }, buyKey);
      assert.deepEqual([other.status, codeOf(other)], [409, 'IDEMPOTENCY_KEY_REUSED']);
      assert.equal(await balance(buyer.id), 991);
    });

    it('the listing keeps the item quality and attachments, and the buyer gets the same item', async () => {
      const seller = await trader(100);
      await cluster.pool.query(
        `SELECT add_item($1, $2, 1, NULL, NULL, 61.5, '[{"slot":"muzzle","id":"silencer"}]', NULL, 'loot', 't')`,
        [seller.inventoryId, rifle],
      );
      const buyer = await trader(5000);
      const listing = await listItem(seller, 1, 900);
      assert.deepEqual([listing.quality, listing.attachments], [61.5, [{ slot: 'muzzle', id: 'silencer' }]]);
      const bought = await buy(listing.id, { buyerId: buyer.id, quantity: 1 });
      assert.equal(bought.status, 200, JSON.stringify(bought.body));
      assert.deepEqual(
        [bought.body.item?.id, bought.body.item?.durability, bought.body.item?.attachments],
        [listing.itemId, 61.5, [{ slot: 'muzzle', id: 'silencer' }]],
      );
    });

    it('search: active listings cheapest first, filtered, keyset paged', async () => {
      const seller = await trader(1000, [[rifle, 1]]);
      const tpl = (await f.itemTemplate({ id: `gem_${randomUUID().slice(0, 8)}`, maxStack: 100 })).id;
      await cluster.pool.query(`SELECT add_item($1, $2, 10, NULL, NULL, NULL, NULL, NULL, 'loot', 't')`, [
        seller.inventoryId,
        tpl,
      ]);
      const [stack] = (await itemsOf(seller.inventoryId)).filter((i) => i.item_template_id === tpl);
      for (const price of [30, 10, 20]) {
        const r = await list({ sellerId: seller.id, itemId: stack.id, quantity: 1, pricePerUnit: price });
        assert.equal(r.status, 201, JSON.stringify(r.body));
      }
      const page = await call<ListingsPageView>(
        cluster.url,
        'GET',
        `/v1/market/listings?itemTemplateId=${tpl}&limit=2`,
        { headers: server.headers },
      );
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.deepEqual(
        page.body.listings.map((l) => l.pricePerUnit),
        [10, 20],
      );
      const next = await call<ListingsPageView>(
        cluster.url,
        'GET',
        `/v1/market/listings?itemTemplateId=${tpl}&limit=2&cursor=${page.body.nextCursor}`,
        { headers: server.headers },
      );
      assert.deepEqual([next.body.listings.map((l) => l.pricePerUnit), next.body.nextCursor], [[30], null]);
      const cheap = await call<ListingsPageView>(
        cluster.url,
        'GET',
        `/v1/market/listings?itemTemplateId=${tpl}&maxPrice=15&sellerId=${seller.id}&currency=scrap`,
        { headers: ADMIN },
      );
      assert.deepEqual(
        cheap.body.listings.map((l) => l.pricePerUnit),
        [10],
      );
    });

    it(`${MAX_LISTINGS} active listings per character, then 422 LIMIT_REACHED changing nothing`, async () => {
      const seller = await trader(1000, [[ore, 10]]);
      for (let i = 0; i < MAX_LISTINGS; i += 1) await listItem(seller, 1, 5);
      const [stack] = await itemsOf(seller.inventoryId);
      const before = await checksum();
      const r = await list({ sellerId: seller.id, itemId: stack.id, quantity: 1, pricePerUnit: 5 });
      assert.deepEqual([r.status, codeOf(r)], [422, 'LIMIT_REACHED']);
      assert.equal(await checksum(), before);
    });

    it('a buyer without room gets the item in its claims, collects it once, and again changes nothing', async () => {
      const seller = await trader(100, [[rifle, 1]]);
      const buyer = await trader(5000);
      const listing = await listItem(seller, 1, 300);
      await cluster.pool.query(`UPDATE inventories SET grid_width = 1, grid_height = 1 WHERE id = $1`, [
        buyer.inventoryId,
      ]);
      const bought = await buy(listing.id, { buyerId: buyer.id, quantity: 1 });
      assert.equal(bought.status, 200, JSON.stringify(bought.body));
      assert.equal(bought.body.item, null);
      assert.equal(bought.body.claim?.reason, 'purchase_no_room');
      assert.equal(await balance(buyer.id), 4700);
      const claims = await call<ClaimView[]>(cluster.url, 'GET', `/v1/players/${buyer.id}/claims`, {
        headers: server.headers,
      });
      assert.deepEqual(
        claims.body.map((c) => [c.id, c.kind, c.itemTemplateId, c.quantity]),
        [[bought.body.claim?.id, 'item', rifle, 1]],
      );
      const claimId = bought.body.claim?.id ?? '';
      const full = await call(cluster.url, 'POST', `/v1/players/${buyer.id}/claims/${claimId}/collect`, {
        headers: server.headers,
        body: {},
      });
      assert.deepEqual([full.status, codeOf(full)], [409, 'SLOT_OCCUPIED']);
      await cluster.pool.query(`UPDATE inventories SET grid_width = 10, grid_height = 6 WHERE id = $1`, [
        buyer.inventoryId,
      ]);
      const collect = () =>
        call<ClaimView>(cluster.url, 'POST', `/v1/players/${buyer.id}/claims/${claimId}/collect`, {
          headers: server.headers,
          body: { toInventoryId: buyer.inventoryId },
        });
      const [one, two] = await Promise.all([collect(), collect()]);
      assert.deepEqual([one.status, two.status], [200, 200], JSON.stringify([one.body, two.body]));
      assert.ok(one.body.collectedAt);
      assert.deepEqual(two.body, one.body);
      assert.deepEqual(
        (await itemsOf(buyer.inventoryId)).map((i) => i.id),
        [listing.itemId],
      );
      const open = await call<ClaimView[]>(cluster.url, 'GET', `/v1/players/${buyer.id}/claims`, {
        headers: server.headers,
      });
      assert.deepEqual(open.body, []);
      await assertConserved(rifle);
    });

    it('cancel returns the unsold remainder to the seller, or to its claims when there is no room', async () => {
      const seller = await trader(100, [[ore, 20]]);
      const buyer = await trader(1000);
      const listing = await listItem(seller, 20, 3);
      assert.equal((await buy(listing.id, { buyerId: buyer.id, quantity: 5 })).status, 200);
      const cancel = await call(cluster.url, 'DELETE', `/v1/market/listings/${listing.id}`, {
        headers: server.headers,
      });
      assert.equal(cancel.status, 204, JSON.stringify(cancel.body));
      assert.deepEqual(
        (await itemsOf(seller.inventoryId)).map((i) => i.quantity),
        [15],
      );
      const again = await call(cluster.url, 'DELETE', `/v1/market/listings/${listing.id}`, {
        headers: server.headers,
      });
      assert.equal(again.status, 204);
      const late = await buy(listing.id, { buyerId: buyer.id, quantity: 1 });
      assert.deepEqual([late.status, codeOf(late)], [409, 'LISTING_CANCELLED']);

      const crowded = await trader(100, [[rifle, 1]]);
      const second = await listItem(crowded, 1, 50);
      await cluster.pool.query(`UPDATE inventories SET grid_width = 1, grid_height = 1 WHERE id = $1`, [
        crowded.inventoryId,
      ]);
      await cluster.pool.query(`SELECT add_item($1, $2, 1, NULL, NULL, NULL, NULL, NULL, 'loot', 't')`, [
        crowded.inventoryId,
        ore,
      ]);
      const otherCancel = await call(cluster.url, 'DELETE', `/v1/market/listings/${second.id}`, {
        headers: other.headers,
      });
      assert.deepEqual(
        [otherCancel.status, detailsOf(otherCancel).reason],
        [403, 'NOT_JOINED_TO_THIS_SERVER'],
      );
      assert.equal(
        (await call(cluster.url, 'DELETE', `/v1/market/listings/${second.id}`, { headers: server.headers }))
          .status,
        204,
      );
      const claims = await call<ClaimView[]>(cluster.url, 'GET', `/v1/players/${crowded.id}/claims`, {
        headers: server.headers,
      });
      assert.deepEqual(
        claims.body.map((c) => [c.reason, c.itemId, c.listingId]),
        [['listing_cancelled', second.itemId, second.id]],
      );
      await assertConserved(ore);
      await assertConserved(rifle);
    });
  });

  describe('refusals change nothing', () => {
    let seller: { id: string; inventoryId: string };
    let buyer: { id: string; inventoryId: string };
    let stranger: { id: string; inventoryId: string };
    let stack: string;
    let listing: ListingView;

    beforeAll(async () => {
      seller = await trader(1000, [[ore, 40]]);
      buyer = await trader(100);
      stranger = await trader(100, [[ore, 5]]);
      listing = await listItem(seller, 10, 20);
      [{ id: stack }] = await itemsOf(seller.inventoryId);
    });

    const good = () => ({ sellerId: seller.id, itemId: stack, quantity: 1, pricePerUnit: 10 });
    const raw = (json: string) => json;
    const badListings: { name: string; body?: Record<string, unknown>; raw?: string; fields: string[] }[] = [
      { name: 'price 0', body: { pricePerUnit: 0 }, fields: ['pricePerUnit'] },
      { name: 'price -1', body: { pricePerUnit: -1 }, fields: ['pricePerUnit'] },
      { name: 'price 1.5', body: { pricePerUnit: 1.5 }, fields: ['pricePerUnit'] },
      { name: 'price "1e3"', body: { pricePerUnit: '1e3' }, fields: ['pricePerUnit'] },
      { name: 'price 2^53+1', raw: 'PRICE:9007199254740993', fields: ['pricePerUnit'] },
      { name: 'price above 10^12', body: { pricePerUnit: 1_000_000_000_001 }, fields: ['pricePerUnit'] },
      { name: 'unknown currency', body: { currency: 'gold' }, fields: ['currency'] },
      { name: 'unknown location type', body: { locationType: 'moon' }, fields: ['locationType'] },
      { name: 'quantity 0', body: { quantity: 0 }, fields: ['quantity'] },
      { name: 'quantity above the stack', body: { quantity: 31 }, fields: ['quantity'] },
      { name: 'expiresInHours 0', body: { expiresInHours: 0 }, fields: ['expiresInHours'] },
      { name: 'expiresInHours 169', body: { expiresInHours: 169 }, fields: ['expiresInHours'] },
      { name: 'itemId not a UUID', body: { itemId: 'sword' }, fields: ['itemId'] },
      { name: 'unknown field', body: { discount: 5 }, fields: ['discount'] },
    ];
    for (const bad of badListings) {
      it(`POST /v1/market/listings: ${bad.name} is 400 naming ${bad.fields.join(', ')}`, async () => {
        const before = await checksum();
        const body = {
          currency: 'scrap',
          locationType: 'global',
          expiresInHours: 24,
          ...good(),
          ...bad.body,
        };
        const r = bad.raw
          ? await call(cluster.url, 'POST', '/v1/market/listings', {
              headers: server.headers,
              raw: raw(
                JSON.stringify({ ...body, pricePerUnit: 'PRICE' }).replace('"PRICE"', bad.raw.slice(6)),
              ),
            })
          : await call(cluster.url, 'POST', '/v1/market/listings', { headers: server.headers, body });
        assert.deepEqual([r.status, [...new Set(fieldsOf(r))]], [400, bad.fields], JSON.stringify(r.body));
        assert.equal(await checksum(), before);
      });
    }

    const refused: {
      name: string;
      send: () => Promise<Reply>;
      status: number;
      code: string;
    }[] = [
      {
        name: "someone else's item",
        send: () => list({ ...good(), sellerId: stranger.id }),
        status: 403,
        code: 'FORBIDDEN',
      },
      {
        name: 'an item already in escrow',
        send: () => list({ ...good(), itemId: listing.itemId }),
        status: 403,
        code: 'FORBIDDEN',
      },
      {
        name: 'a listing fee the seller cannot pay',
        send: async () => {
          const [poorStack] = await itemsOf(stranger.inventoryId);
          return list({ sellerId: stranger.id, itemId: poorStack.id, quantity: 5, pricePerUnit: 10_000 });
        },
        status: 422,
        code: 'INSUFFICIENT_FUNDS',
      },
      {
        name: 'a seller of another server',
        send: () => list(good(), other.headers),
        status: 403,
        code: 'FORBIDDEN',
      },
      {
        name: 'moving an escrowed item through the inventory routes',
        send: () =>
          call(cluster.url, 'POST', `/v1/items/${listing.itemId}/move`, {
            headers: server.headers,
            body: { toInventoryId: seller.inventoryId, gridX: 9, gridY: 5 },
          }),
        status: 403,
        code: 'FORBIDDEN',
      },
      {
        name: 'destroying an escrowed item through the inventory routes',
        send: () => call(cluster.url, 'DELETE', `/v1/items/${listing.itemId}`, { headers: server.headers }),
        status: 403,
        code: 'FORBIDDEN',
      },
      {
        name: "buying one's own listing",
        send: () => buy(listing.id, { buyerId: seller.id, quantity: 1 }),
        status: 422,
        code: 'OWN_LISTING',
      },
      {
        name: 'insufficient funds',
        send: () => buy(listing.id, { buyerId: buyer.id, quantity: 6 }),
        status: 422,
        code: 'INSUFFICIENT_FUNDS',
      },
      {
        name: 'over-quantity',
        send: () => buy(listing.id, { buyerId: buyer.id, quantity: 11 }),
        status: 422,
        code: 'INSUFFICIENT_QUANTITY',
      },
      {
        name: 'a listing that does not exist',
        send: () => buy(randomUUID(), { buyerId: buyer.id, quantity: 1 }),
        status: 404,
        code: 'NOT_FOUND',
      },
      {
        name: "delivery into someone else's inventory",
        send: () => buy(listing.id, { buyerId: buyer.id, quantity: 1, toInventoryId: seller.inventoryId }),
        status: 403,
        code: 'FORBIDDEN',
      },
      {
        name: 'a buyer of another server',
        send: () => buy(listing.id, { buyerId: buyer.id, quantity: 1 }, other.headers),
        status: 403,
        code: 'FORBIDDEN',
      },
      {
        name: 'purchase quantity 0',
        send: () => buy(listing.id, { buyerId: buyer.id, quantity: 0 }),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        name: 'purchase quantity 1.5',
        send: () => buy(listing.id, { buyerId: buyer.id, quantity: 1.5 }),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        name: 'credit of 0',
        send: () => credit(buyer.id, 0),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        name: 'credit of 1.5',
        send: () => credit(buyer.id, 1.5),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        name: 'credit with a reason of the debit list',
        send: () =>
          call(cluster.url, 'POST', `/v1/players/${buyer.id}/wallets/scrap/credit`, {
            headers: server.headers,
            body: { amount: 5, reason: 'fine' },
          }),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        name: 'debit for a market sink reason',
        send: () =>
          call(cluster.url, 'POST', `/v1/players/${buyer.id}/wallets/scrap/debit`, {
            headers: server.headers,
            body: { amount: 5, reason: 'sales_tax' },
          }),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        name: "a game server crediting with the operators' admin_grant",
        send: () =>
          call(cluster.url, 'POST', `/v1/players/${buyer.id}/wallets/scrap/credit`, {
            headers: server.headers,
            body: { amount: 5, reason: 'admin_grant' },
          }),
        status: 403,
        code: 'FORBIDDEN',
      },
      {
        name: "a game server debiting with the operators' admin_revoke",
        send: () =>
          call(cluster.url, 'POST', `/v1/players/${buyer.id}/wallets/scrap/debit`, {
            headers: server.headers,
            body: { amount: 1, reason: 'admin_revoke' },
          }),
        status: 403,
        code: 'FORBIDDEN',
      },
      {
        name: 'credit in an unknown currency',
        send: () =>
          call(cluster.url, 'POST', `/v1/players/${buyer.id}/wallets/gold/credit`, {
            headers: server.headers,
            body: { amount: 5, reason: 'loot' },
          }),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        name: 'a claim that is not the player’s',
        send: () =>
          call(cluster.url, 'POST', `/v1/players/${buyer.id}/claims/${randomUUID()}/collect`, {
            headers: server.headers,
            body: {},
          }),
        status: 404,
        code: 'NOT_FOUND',
      },
      {
        name: 'a search with maxPrice 0',
        send: () => call(cluster.url, 'GET', '/v1/market/listings?maxPrice=0', { headers: server.headers }),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        name: 'a search with a forged cursor',
        send: () =>
          call(cluster.url, 'GET', '/v1/market/listings?cursor=bm9wZQ', { headers: server.headers }),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
      {
        name: 'a ledger page with a forged cursor',
        send: () =>
          call(cluster.url, 'GET', `/v1/players/${buyer.id}/wallets/scrap/ledger?cursor=abc`, {
            headers: server.headers,
          }),
        status: 400,
        code: 'VALIDATION_FAILED',
      },
    ];
    for (const r of refused) {
      it(`${r.name}: ${r.status} ${r.code}`, async () => {
        const before = await checksum();
        const reply = await r.send();
        assert.deepEqual([reply.status, codeOf(reply)], [r.status, r.code], JSON.stringify(reply.body));
        assert.equal(await checksum(), before);
      });
    }

    it('an expired listing is 409 LISTING_EXPIRED and changes nothing', async () => {
      const mine = await listItem(seller, 1, 5);
      await cluster.pool.query(
        `UPDATE market_listings SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [mine.id],
      );
      const before = await checksum();
      const r = await buy(mine.id, { buyerId: buyer.id, quantity: 1 });
      assert.deepEqual([r.status, codeOf(r)], [409, 'LISTING_EXPIRED']);
      assert.equal(await checksum(), before);
    });
  });

  describe('races', () => {
    const racers = async (n: number, scrap: number) =>
      Promise.all(Array.from({ length: n }, () => trader(scrap)));

    it('50 buyers of a listing of 1: exactly one purchase and one debit', async () => {
      const seller = await trader(100, [[rifle, 1]]);
      const listing = await listItem(seller, 1, 100);
      const buyers = await racers(50, 1000);
      const replies = await Promise.all(buyers.map((b) => buy(listing.id, { buyerId: b.id, quantity: 1 })));
      const won = replies.filter((r) => r.status === 200);
      assert.equal(won.length, 1);
      for (const r of replies.filter((x) => x.status !== 200)) {
        assert.deepEqual([r.status, codeOf(r)], [409, 'LISTING_SOLD_OUT'], JSON.stringify(r.body));
      }
      const debits = await cluster.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM wallet_ledger WHERE reason = 'market_purchase' AND reference = $1`,
        [`listing:${listing.id}`],
      );
      assert.equal(debits.rows[0].n, 1);
      const balances = await Promise.all(buyers.map((b) => balance(b.id)));
      assert.deepEqual(
        balances.sort((x, y) => x - y),
        [900, ...Array.from({ length: 49 }, () => 1000)],
      );
      await assertConserved(rifle);
    });

    it('50 single-unit buyers of a listing of 20: exactly 20', async () => {
      const seller = await trader(100, [[ore, 20]]);
      const listing = await listItem(seller, 20, 7);
      const buyers = await racers(50, 100);
      const replies = await Promise.all(buyers.map((b) => buy(listing.id, { buyerId: b.id, quantity: 1 })));
      assert.equal(replies.filter((r) => r.status === 200).length, 20);
      for (const r of replies.filter((x) => x.status !== 200)) assert.equal(codeOf(r), 'LISTING_SOLD_OUT');
      const { rows } = await cluster.pool.query(
        `SELECT sold_quantity, status FROM market_listings WHERE id = $1`,
        [listing.id],
      );
      assert.deepEqual(rows[0], { sold_quantity: 20, status: 'sold_out' });
      const held = await Promise.all(buyers.map(async (b) => (await itemsOf(b.inventoryId)).length));
      assert.equal(
        held.reduce((a, b) => a + b, 0),
        20,
      );
      await assertConserved(ore);
    });

    it('a cancel racing purchases: each unit either sold or returned, never both', async () => {
      const seller = await trader(100, [[ore, 30]]);
      const listing = await listItem(seller, 30, 2);
      const buyers = await racers(30, 100);
      const purchases = buyers.map((b) => buy(listing.id, { buyerId: b.id, quantity: 1 }));
      const cancel = call(cluster.url, 'DELETE', `/v1/market/listings/${listing.id}`, {
        headers: server.headers,
      });
      const [replies, cancelled] = await Promise.all([Promise.all(purchases), cancel]);
      assert.equal(cancelled.status, 204);
      const sold = replies.filter((r) => r.status === 200).length;
      for (const r of replies.filter((x) => x.status !== 200)) assert.equal(codeOf(r), 'LISTING_CANCELLED');
      const returned = (await itemsOf(seller.inventoryId)).reduce((n, i) => n + i.quantity, 0);
      const bought = (await Promise.all(buyers.map((b) => itemsOf(b.inventoryId)))).flat();
      assert.equal(
        bought.reduce((n, i) => n + i.quantity, 0),
        sold,
      );
      assert.equal(returned + sold, 30);
      const { rows } = await cluster.pool.query(
        `SELECT sold_quantity, status FROM market_listings WHERE id = $1`,
        [listing.id],
      );
      assert.deepEqual(rows[0], { sold_quantity: sold, status: sold === 30 ? 'sold_out' : 'cancelled' });
      await assertConserved(ore);
    });
  });
  // Last: the schedule's tick a day ahead expires every listing still active in this file.
  describe('expiry', () => {
    it('two runs of the schedule at one tick expire each listing once; remainders return or become claims', async () => {
      const seller = await trader(100, [[ore, 10]]);
      const crowded = await trader(100, [[rifle, 1]]);
      const buyer = await trader(100);
      const partly = await listItem(seller, 6, 4);
      assert.equal((await buy(partly.id, { buyerId: buyer.id, quantity: 2 })).status, 200);
      const stuck = await listItem(crowded, 1, 9);
      await cluster.pool.query(`UPDATE inventories SET grid_width = 1, grid_height = 1 WHERE id = $1`, [
        crowded.inventoryId,
      ]);
      await cluster.pool.query(`SELECT add_item($1, $2, 1, NULL, NULL, NULL, NULL, NULL, 'loot', 't')`, [
        crowded.inventoryId,
        ore,
      ]);
      const tick = new Date(Date.now() + 25 * 3600_000).toISOString();
      const due = await cluster.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM market_listings WHERE status = 'active' AND expires_at <= $1`,
        [tick],
      );
      assert.ok(due.rows[0].n >= 2);
      const bus = new BusClient({ ...cluster.bus, serviceName: 'market-expiry-test' });
      try {
        const run = () => bus.call(MarketOps.expireListings, { now: tick }, { principal: { kind: 'admin' } });
        const [a, b] = await Promise.all([run(), run()]);
        assert.equal(a.expired + b.expired, due.rows[0].n);
        assert.deepEqual(await run(), { expired: 0, claims: 0, more: false });
      } finally {
        await bus.close();
      }
      const { rows } = await cluster.pool.query<{ id: string; status: string; closed_at: Date }>(
        `SELECT id, status, closed_at FROM market_listings WHERE id = ANY ($1) ORDER BY price_per_unit`,
        [[partly.id, stuck.id]],
      );
      assert.deepEqual(
        rows.map((r) => [r.id, r.status, r.closed_at.toISOString()]),
        [
          [partly.id, 'expired', tick],
          [stuck.id, 'expired', tick],
        ],
      );
      // The remainder (4) comes back at the first free place, beside the 4 never listed.
      assert.equal(
        (await itemsOf(seller.inventoryId)).reduce((n, i) => n + i.quantity, 0),
        8,
      );
      const claims = await call<ClaimView[]>(cluster.url, 'GET', `/v1/players/${crowded.id}/claims`, {
        headers: server.headers,
      });
      assert.deepEqual(
        claims.body.map((c) => [c.reason, c.itemId]),
        [['listing_expired', stuck.itemId]],
      );
      const events = await cluster.pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM outbox WHERE subject = 'evt.market.listing.closed.v1'
            AND payload -> 'listing' ->> 'id' = ANY ($1)`,
        [[partly.id, stuck.id]],
      );
      assert.equal(events.rows[0].n, 2);
      const late = await call(cluster.url, 'DELETE', `/v1/market/listings/${partly.id}`, {
        headers: server.headers,
      });
      assert.deepEqual([late.status, codeOf(late)], [409, 'LISTING_EXPIRED']);
      await assertConserved(ore);
      await assertConserved(rifle);
    });
  });
});
