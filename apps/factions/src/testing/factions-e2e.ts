/**
 * Helpers of the factions end-to-end specs: a game server's calls through the gateway, factions
 * built through the API, and the checksum of every table a refused request must leave unchanged.
 */
import { randomUUID } from 'node:crypto';
import assert from 'node:assert/strict';
import type { Pool } from 'pg';
import type { FactionMemberView, FactionWithMembersView } from '@trustno1/contracts';
import { call, factories, type Reply, type TestCluster } from '@trustno1/testing';

export type Headers = Record<string, string>;
export interface Server {
  id: string;
  headers: Headers;
}

/** A faction world of one spec file: its cluster and the game server acting. */
export function factionsApi(cluster: TestCluster, server: Server) {
  const send = <T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Headers = server.headers,
  ) => call<T>(cluster.url, method, path, { headers, body });
  const character = () => factories(cluster.pool).joinedCharacter(server.id);

  const create = async (founderId: string, over: Record<string, unknown> = {}) => {
    const tag = randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase();
    const reply = await send<FactionWithMembersView>('POST', '/v1/factions', {
      founderId,
      name: `Faction ${tag}`,
      tag,
      ...over,
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    return reply.body;
  };

  /** A new character joined to the server, invited by `byPlayerId` and joined to the faction. */
  const recruit = async (factionId: string, byPlayerId: string) => {
    const c = await character();
    const invited = await send('POST', `/v1/factions/${factionId}/invites`, { byPlayerId, playerId: c.id });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const joined = await send<FactionMemberView>('POST', `/v1/factions/${factionId}/join`, {
      playerId: c.id,
    });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    return c;
  };

  /** A member of `rank` (set by the leader, with the rank's default permissions). */
  const memberOf = async (factionId: string, leaderId: string, rank: 'officer' | 'member' | 'recruit') => {
    const c = await recruit(factionId, leaderId);
    if (rank !== 'recruit') {
      const r = await send('PATCH', `/v1/factions/${factionId}/members/${c.id}`, {
        byPlayerId: leaderId,
        rank,
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    return c;
  };

  /** A faction with a leader and one member of each lower rank. */
  const ranked = async () => {
    const leader = await character();
    const faction = await create(leader.id);
    const officer = await memberOf(faction.id, leader.id, 'officer');
    const member = await memberOf(faction.id, leader.id, 'member');
    const recruitC = await memberOf(faction.id, leader.id, 'recruit');
    return { faction, leader, officer, member, recruit: recruitC };
  };

  return { send, character, create, recruit, memberOf, ranked };
}

/** Scrap credited as a source of the wallet ledger (what a quest reward does). */
export async function credit(pool: Pool, playerId: string, amount: number): Promise<void> {
  await pool.query(`SELECT market.wallet_move($1, 'scrap', $2, 'admin_grant', 'test credit')`, [
    playerId,
    amount,
  ]);
}

export async function scrap(pool: Pool, playerId: string): Promise<number> {
  const { rows } = await pool.query<{ balance: string }>(
    `SELECT balance FROM wallets WHERE player_id = $1 AND currency = 'scrap'`,
    [playerId],
  );
  return Number(rows[0].balance);
}

/** Everything a factions operation can change, hashed: a refused request must leave it as it was. */
export async function factionsChecksum(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ sum: string }>(
    `SELECT md5(concat_ws('|',
        (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM factions.factions t),
        (SELECT string_agg(t::text, ';' ORDER BY t.faction_id, t.player_id) FROM faction_members t),
        (SELECT string_agg(t::text, ';' ORDER BY t.faction_id, t.player_id) FROM faction_invites t),
        (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM faction_ledger t),
        (SELECT string_agg(concat_ws(',', id, faction_id), ';' ORDER BY id) FROM players),
        (SELECT string_agg(t::text, ';' ORDER BY t.player_id, t.currency) FROM wallets t),
        (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM wallet_ledger t),
        (SELECT string_agg(t::text, ';' ORDER BY t.id) FROM transactions t),
        (SELECT string_agg(concat_ws(',', t.id, t.subject, t.payload::text), ';' ORDER BY t.id) FROM outbox t
          WHERE t.subject LIKE 'evt.factions.%'))) AS sum`,
  );
  return rows[0].sum;
}

/** The status and the error code of a reply, for compact assertions. */
export const outcome = (r: Reply): [number, string | undefined] => [
  r.status,
  (r.body as { error?: { code?: string } } | undefined)?.error?.code,
];
