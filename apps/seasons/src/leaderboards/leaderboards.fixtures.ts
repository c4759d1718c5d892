// Test fixtures of the leaderboards' sources, written as their owners would (a wallet's balance
// with its ledger row, a kill as combat logs it), shared by the integration and end-to-end specs.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';

type Currency = 'scrap' | 'hqm' | 'credits';

export function leaderboardFixtures(pool: Pool) {
  /** Money as market would give it: the balance and its ledger row, so the ledger still adds up. */
  const credit = async (playerId: string, currency: Currency, amount: number): Promise<void> => {
    const { rows } = await pool.query<{ balance: string }>(
      `UPDATE market.wallets SET balance = balance + $3 WHERE player_id = $1 AND currency = $2::market.currency_type
       RETURNING balance`,
      [playerId, currency, amount],
    );
    await pool.query(
      `INSERT INTO market.wallet_ledger (player_id, currency, delta, balance_after, reason, reference)
       VALUES ($1, $2::market.currency_type, $3, $4, 'test', 'leaderboards fixture')`,
      [playerId, currency, amount, rows[0].balance],
    );
  };

  /** A killing blow as combat logs it. */
  const kill = async (attackerId: string | null, victimId: string, at: Date): Promise<string> => {
    const id = randomUUID();
    await pool.query(
      `INSERT INTO combat.combat_logs (id, attacker_id, victim_id, weapon_id, damage, hit_location, killing_blow, created_at)
       VALUES ($1, $2, $3, 'rifle_ak', 100, 'head', true, $4)`,
      [id, attackerId, victimId, at],
    );
    return id;
  };

  /** A hit that did not kill: never counted. */
  const hit = async (attackerId: string, victimId: string, at: Date): Promise<void> => {
    await pool.query(
      `INSERT INTO combat.combat_logs (id, attacker_id, victim_id, weapon_id, damage, hit_location, killing_blow, created_at)
       VALUES ($1, $2, $3, 'rifle_ak', 10, 'thorax', false, $4)`,
      [randomUUID(), attackerId, victimId, at],
    );
  };

  const playtime = (playerId: string, seconds: number) =>
    pool.query('UPDATE accounts.players SET playtime_seconds = $2 WHERE id = $1', [playerId, seconds]);

  /** A faction with its members, territories owned and raids won. */
  const faction = async (o: {
    name: string;
    members: string[];
    treasury?: number;
    territories?: number;
    raidsWon?: number;
    raidsLost?: number;
  }): Promise<string> => {
    const id = randomUUID();
    await pool.query(
      'INSERT INTO factions.factions (id, name, tag, treasury, leader_id, member_count) VALUES ($1, $2, $3, $4, $5, $6)',
      [id, o.name, o.name.slice(0, 8), o.treasury ?? 0, o.members[0] ?? null, o.members.length],
    );
    for (const [i, playerId] of o.members.entries()) {
      await pool.query(
        `INSERT INTO factions.faction_members (faction_id, player_id, rank, permissions)
         VALUES ($1, $2, $3::factions.faction_rank, '[]')`,
        [id, playerId, i === 0 ? 'leader' : 'member'],
      );
      await pool.query('UPDATE accounts.players SET faction_id = $2 WHERE id = $1', [playerId, id]);
    }
    for (let i = 0; i < (o.territories ?? 0); i++) {
      await pool.query(
        `INSERT INTO world.territories (id, name, center_x, center_z, radius, owner_faction_id)
         VALUES ($1, $2, $3, 0, 10, $4)`,
        [randomUUID(), `${o.name}-t${i}`, Math.random() * 1e6, id],
      );
    }
    const raids = [
      ...Array.from({ length: o.raidsWon ?? 0 }, () => true),
      ...Array.from({ length: o.raidsLost ?? 0 }, () => false),
    ];
    for (const successful of raids) {
      await pool.query(
        `INSERT INTO combat.raid_logs (id, raider_faction_id, started_at, ended_at, successful)
         VALUES ($1, $2, now() - interval '1 hour', now(), $3)`,
        [randomUUID(), id, successful],
      );
    }
    return id;
  };

  return { credit, kill, hit, playtime, faction };
}
