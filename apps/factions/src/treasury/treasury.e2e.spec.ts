/**
 * The treasury end to end through the gateway (issue 14, rule 3): deposits and withdrawals with
 * both ledgers and the faction_bank transaction, the per-rank daily limit, the disband payout,
 * the ledger route; 50 parallel withdrawals beyond the treasury, a kick racing a withdrawal, and
 * money conservation over random concurrent deposits, withdrawals, disbands and wallet credits.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import type { FactionLedgerView, FactionTreasuryView } from '@trustno1/contracts';
import {
  codeOf,
  detailsOf,
  factories,
  fieldsOf,
  registerServer,
  signUp,
  startCluster,
  TEST_ADMIN_KEY,
  type TestCluster,
} from '@trustno1/testing';
import { credit, factionsApi, factionsChecksum, outcome, scrap, type Server } from '../testing/factions-e2e';

describe('the faction treasury through the gateway', () => {
  let cluster: TestCluster;
  let server: Server;
  let api: ReturnType<typeof factionsApi>;

  beforeAll(async () => {
    cluster = await startCluster(['accounts', 'factions', 'gateway'], {
      FACTION_WITHDRAW_LIMIT_OFFICER: '150',
    });
    server = await registerServer(cluster.url, TEST_ADMIN_KEY);
    api = factionsApi(cluster, server);
  });
  afterAll(() => cluster?.stop());

  const deposit = (factionId: string, playerId: string, amount: number, headers = server.headers) =>
    api.send<FactionTreasuryView>(
      'POST',
      `/v1/factions/${factionId}/treasury/deposit`,
      { playerId, amount },
      headers,
    );
  const withdraw = (factionId: string, playerId: string, amount: number, headers = server.headers) =>
    api.send<FactionTreasuryView>(
      'POST',
      `/v1/factions/${factionId}/treasury/withdraw`,
      { playerId, amount },
      headers,
    );
  const treasury = async (factionId: string) =>
    Number(
      (await cluster.pool.query(`SELECT treasury FROM factions.factions WHERE id = $1`, [factionId])).rows[0]
        .treasury,
    );

  /** Each faction's ledger sums to its treasury, each wallet's ledger to its balance. */
  async function assertLedgersBalance(): Promise<void> {
    const { rows } = await cluster.pool.query(
      `SELECT 'faction' AS kind, f.id FROM factions.factions f
        WHERE f.treasury <> COALESCE((SELECT sum(delta) FROM faction_ledger l WHERE l.faction_id = f.id), 0)
       UNION ALL
       SELECT 'wallet', w.player_id FROM wallets w
        WHERE w.balance <> COALESCE((SELECT sum(delta) FROM wallet_ledger l
                                      WHERE l.player_id = w.player_id AND l.currency = w.currency), 0)`,
    );
    assert.deepEqual(rows, []);
  }

  it('moves scrap between a wallet and the treasury through both ledgers, with a faction_bank transaction', async () => {
    const { faction, leader, member } = await api.ranked();
    await credit(cluster.pool, member.id, 1000);
    const key = { ...server.headers, 'idempotency-key': randomUUID() };
    const [first, replay] = [
      await deposit(faction.id, member.id, 300, key),
      await deposit(faction.id, member.id, 300, key),
    ];
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body, { treasury: 300, balance: 700 });
    assert.deepEqual(replay.body, first.body);
    assert.equal(await scrap(cluster.pool, member.id), 700);

    const wl = await cluster.pool.query(
      `SELECT delta::int, reason FROM wallet_ledger WHERE player_id = $1 AND reason LIKE 'faction_%'`,
      [member.id],
    );
    assert.deepEqual(wl.rows, [{ delta: -300, reason: 'faction_deposit' }]);
    const fl = await cluster.pool.query(
      `SELECT player_id, delta::int, balance_after::int, reason FROM faction_ledger WHERE faction_id = $1`,
      [faction.id],
    );
    assert.deepEqual(fl.rows, [{ player_id: member.id, delta: 300, balance_after: 300, reason: 'deposit' }]);
    const tx = await cluster.pool.query(
      `SELECT buyer_id, total_price::int, transaction_type, location FROM transactions
        WHERE transaction_type = 'faction_bank' AND buyer_id = $1`,
      [member.id],
    );
    assert.deepEqual(tx.rows, [
      {
        buyer_id: member.id,
        total_price: 300,
        transaction_type: 'faction_bank',
        location: { factionId: faction.id, direction: 'deposit' },
      },
    ]);
    const points = await cluster.pool.query(
      `SELECT contribution_points FROM faction_members WHERE player_id = $1`,
      [member.id],
    );
    assert.equal(points.rows[0].contribution_points, 300);

    const out = await withdraw(faction.id, leader.id, 120);
    assert.deepEqual([out.status, out.body], [200, { treasury: 180, balance: 120 }]);
    await assertLedgersBalance();
  });

  it('refuses what the wallet or the treasury lacks, a missing permission and the rank daily limit', async () => {
    const { faction, leader, officer, member } = await api.ranked();
    await credit(cluster.pool, leader.id, 1000);
    assert.equal((await deposit(faction.id, leader.id, 1000)).status, 200);
    const before = await factionsChecksum(cluster.pool);
    assert.deepEqual(outcome(await deposit(faction.id, member.id, 1)), [422, 'INSUFFICIENT_FUNDS']);
    assert.deepEqual(outcome(await withdraw(faction.id, leader.id, 1001)), [422, 'INSUFFICIENT_FUNDS']);
    assert.deepEqual(outcome(await withdraw(faction.id, member.id, 1)), [403, 'FORBIDDEN']);
    const outsider = await api.character();
    await credit(cluster.pool, outsider.id, 10);
    const afterCredit = await factionsChecksum(cluster.pool);
    assert.notEqual(afterCredit, before);
    assert.deepEqual(outcome(await deposit(faction.id, outsider.id, 5)), [403, 'FORBIDDEN']);
    assert.equal(await factionsChecksum(cluster.pool), afterCredit);

    // FACTION_WITHDRAW_LIMIT_OFFICER=150 in this cluster: per UTC day, the leader has none.
    assert.equal((await withdraw(faction.id, officer.id, 100)).status, 200);
    const over = await withdraw(faction.id, officer.id, 60);
    assert.deepEqual(outcome(over), [422, 'LIMIT_REACHED']);
    assert.equal(detailsOf(over).reason, 'DAILY_WITHDRAW_LIMIT');
    assert.equal((await withdraw(faction.id, officer.id, 50)).status, 200);
    assert.deepEqual(outcome(await withdraw(faction.id, officer.id, 1)), [422, 'LIMIT_REACHED']);
    assert.equal((await withdraw(faction.id, leader.id, 500)).status, 200);
    assert.equal(await treasury(faction.id), 350);
    await assertLedgersBalance();
  });

  it('disbanding pays the treasury out to the leader wallet through both ledgers', async () => {
    const { faction, leader, member } = await api.ranked();
    await credit(cluster.pool, member.id, 500);
    assert.equal((await deposit(faction.id, member.id, 500)).status, 200);
    assert.equal(
      (await api.send('DELETE', `/v1/factions/${faction.id}`, { byPlayerId: leader.id })).status,
      204,
    );
    assert.deepEqual([await scrap(cluster.pool, leader.id), await treasury(faction.id)], [500, 0]);
    const fl = await cluster.pool.query(
      `SELECT delta::int, balance_after::int, reason FROM faction_ledger WHERE faction_id = $1 ORDER BY id`,
      [faction.id],
    );
    assert.deepEqual(fl.rows, [
      { delta: 500, balance_after: 500, reason: 'deposit' },
      { delta: -500, balance_after: 0, reason: 'disband_payout' },
    ]);
    const wl = await cluster.pool.query(`SELECT delta::int, reason FROM wallet_ledger WHERE player_id = $1`, [
      leader.id,
    ]);
    assert.deepEqual(wl.rows, [{ delta: 500, reason: 'faction_payout' }]);
    await assertLedgersBalance();
  });

  it('serves the ledger newest first in keyset pages, to a player only for its own faction', async () => {
    const owner = await signUp(cluster.url);
    const stranger = await signUp(cluster.url);
    const leader = await factories(cluster.pool).joinedCharacter(server.id, [], {
      accountId: owner.accountId,
    });
    const faction = await api.create(leader.id);
    await credit(cluster.pool, leader.id, 100);
    for (const amount of [1, 2, 3, 4, 5])
      assert.equal((await deposit(faction.id, leader.id, amount)).status, 200);
    const deltas: number[] = [];
    let cursor: string | null = null;
    do {
      const path: string = `/v1/factions/${faction.id}/treasury/ledger?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api.send<FactionLedgerView>('GET', path, undefined, owner.headers);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      deltas.push(...page.body.entries.map((e) => e.delta));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(deltas, [5, 4, 3, 2, 1]);
    const ledger = `/v1/factions/${faction.id}/treasury/ledger`;
    assert.deepEqual(outcome(await api.send('GET', ledger, undefined, stranger.headers)), [403, 'FORBIDDEN']);
    const bad = await api.send('GET', `${ledger}?cursor=abc`);
    assert.deepEqual([...outcome(bad), fieldsOf(bad)], [400, 'VALIDATION_FAILED', ['cursor']]);
  });

  it('answers bad input with 400 naming the field and changes nothing', async () => {
    const { faction, leader } = await api.ranked();
    await credit(cluster.pool, leader.id, 100);
    const before = await factionsChecksum(cluster.pool);
    const path = `/v1/factions/${faction.id}/treasury`;
    const cases: [string, unknown, string][] = [
      [`${path}/deposit`, { playerId: leader.id, amount: 0 }, 'amount'],
      [`${path}/deposit`, { playerId: leader.id, amount: -5 }, 'amount'],
      [`${path}/deposit`, { playerId: leader.id, amount: 1.5 }, 'amount'],
      [`${path}/deposit`, { playerId: leader.id, amount: '10' }, 'amount'],
      [`${path}/deposit`, { playerId: leader.id, amount: 1e13 }, 'amount'],
      [`${path}/deposit`, { playerId: leader.id }, 'amount'],
      [`${path}/deposit`, { playerId: 'me', amount: 1 }, 'playerId'],
      [`${path}/deposit`, { playerId: leader.id, amount: 1, note: 'x' }, 'note'],
      [`${path}/withdraw`, { playerId: leader.id, amount: 0 }, 'amount'],
      [`${path}/withdraw`, { amount: 1 }, 'playerId'],
      [`/v1/factions/nope/treasury/deposit`, { playerId: leader.id, amount: 1 }, 'id'],
    ];
    for (const [p, body, field] of cases) {
      const r = await api.send('POST', p, body);
      assert.deepEqual([r.status, codeOf(r)], [400, 'VALIDATION_FAILED'], `${p} ${JSON.stringify(body)}`);
      assert.ok(fieldsOf(r).includes(field), `${p} ${JSON.stringify(body)}: ${JSON.stringify(fieldsOf(r))}`);
    }
    const ledgerBad = await api.send('GET', `/v1/factions/${faction.id}/treasury/ledger?limit=500`);
    assert.deepEqual([ledgerBad.status, fieldsOf(ledgerBad)], [400, ['limit']]);
    assert.equal(await factionsChecksum(cluster.pool), before);
  });

  it('50 parallel withdrawals beyond the treasury: it never goes below zero and the ledgers balance', async () => {
    const leader = await api.character();
    const faction = await api.create(leader.id);
    await credit(cluster.pool, leader.id, 1000);
    assert.equal((await deposit(faction.id, leader.id, 1000)).status, 200);
    const replies = await Promise.all(Array.from({ length: 50 }, () => withdraw(faction.id, leader.id, 30)));
    const ok = replies.filter((r) => r.status === 200);
    assert.equal(ok.length, 33);
    assert.ok(replies.every((r) => r.status === 200 || codeOf(r) === 'INSUFFICIENT_FUNDS'));
    assert.deepEqual(
      ok.map((r) => r.body.treasury).sort((a, b) => a - b),
      Array.from({ length: 33 }, (_, i) => 10 + 30 * i),
    );
    assert.deepEqual([await treasury(faction.id), await scrap(cluster.pool, leader.id)], [10, 990]);
    await assertLedgersBalance();
  });

  it('a kick racing a withdrawal by the kicked member: the money is either withdrawn before or not at all', async () => {
    const leader = await api.character();
    const faction = await api.create(leader.id);
    await credit(cluster.pool, leader.id, 10_000);
    assert.equal((await deposit(faction.id, leader.id, 10_000)).status, 200);
    const seen = new Set<string>();
    for (let round = 0; round < 12; round++) {
      const officer = await api.memberOf(faction.id, leader.id, 'officer');
      const [w, k] = await Promise.all([
        withdraw(faction.id, officer.id, 100),
        api.send('POST', `/v1/factions/${faction.id}/kick`, { byPlayerId: leader.id, playerId: officer.id }),
      ]);
      assert.equal(k.status, 204, JSON.stringify(k.body));
      assert.ok(w.status === 200 || codeOf(w) === 'FORBIDDEN', JSON.stringify(w.body));
      seen.add(String(w.status));
      const rows = await cluster.pool.query(
        `SELECT count(*)::int AS n FROM faction_ledger WHERE faction_id = $1 AND player_id = $2 AND reason = 'withdraw'`,
        [faction.id, officer.id],
      );
      assert.deepEqual(
        [rows.rows[0].n, await scrap(cluster.pool, officer.id)],
        w.status === 200 ? [1, 100] : [0, 0],
      );
      // After the kick, nothing more comes out.
      assert.deepEqual(outcome(await withdraw(faction.id, officer.id, 1)), [403, 'FORBIDDEN']);
    }
    const { rows } = await cluster.pool.query(
      `SELECT COALESCE(sum(balance), 0)::int AS wallets FROM wallets w JOIN faction_ledger l ON l.player_id = w.player_id
        WHERE l.faction_id = $1 AND l.reason = 'withdraw' AND w.currency = 'scrap'`,
      [faction.id],
    );
    assert.equal((await treasury(faction.id)) + rows[0].wallets, 10_000);
    await assertLedgersBalance();
  });

  it('conserves money across random concurrent deposits, withdrawals, disbands and wallet credits', async () => {
    const factions: { id: string; leader: string; members: string[] }[] = [];
    for (let i = 0; i < 4; i++) {
      const { faction, leader, officer, member } = await api.ranked();
      factions.push({ id: faction.id, leader: leader.id, members: [leader.id, officer.id, member.id] });
    }
    const players = factions.flatMap((f) => f.members);
    for (const p of players) await credit(cluster.pool, p, 500);
    const sums = async () => {
      const w = await cluster.pool.query(
        `SELECT COALESCE(sum(balance), 0)::bigint AS s FROM wallets WHERE player_id = ANY ($1) AND currency = 'scrap'`,
        [players],
      );
      const t = await cluster.pool.query(
        `SELECT COALESCE(sum(treasury), 0)::bigint AS s FROM factions.factions WHERE id = ANY ($1)`,
        [factions.map((f) => f.id)],
      );
      const sources = await cluster.pool.query(
        `SELECT COALESCE(sum(delta), 0)::bigint AS s FROM wallet_ledger
          WHERE player_id = ANY ($1) AND currency = 'scrap' AND market.wallet_reason_kind(reason) IN ('source', 'sink')`,
        [players],
      );
      return { total: Number(w.rows[0].s) + Number(t.rows[0].s), logged: Number(sources.rows[0].s) };
    };
    const start = await sums();
    assert.equal(start.total, start.logged);

    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 160; i++) {
      const f = factions[rand(factions.length)];
      const who = f.members[rand(f.members.length)];
      const roll = rand(100);
      if (roll < 45) ops.push(deposit(f.id, who, 1 + rand(120)));
      else if (roll < 80) ops.push(withdraw(f.id, f.leader, 1 + rand(150)));
      else if (roll < 97) ops.push(credit(cluster.pool, who, 1 + rand(50)));
      else ops.push(api.send('DELETE', `/v1/factions/${f.id}`, { byPlayerId: f.leader }));
    }
    const replies = (await Promise.all(ops)) as ({ status: number } | undefined)[];
    for (const r of replies) {
      if (r) assert.ok(r.status < 500, JSON.stringify(r));
    }
    const end = await sums();
    assert.equal(end.total, end.logged);
    assert.ok(end.logged > start.logged, 'the wallet credits were logged as sources');
    const mirror = await cluster.pool.query(
      `SELECT (SELECT COALESCE(sum(delta), 0) FROM faction_ledger WHERE faction_id = ANY ($1))::bigint AS treasury_side,
              (SELECT COALESCE(sum(delta), 0) FROM wallet_ledger WHERE player_id = ANY ($2)
                 AND reason IN ('faction_deposit', 'faction_withdraw', 'faction_payout'))::bigint AS wallet_side`,
      [factions.map((f) => f.id), players],
    );
    assert.equal(Number(mirror.rows[0].treasury_side), -Number(mirror.rows[0].wallet_side));
    await assertLedgersBalance();
  });
});
