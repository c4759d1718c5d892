import { Inject, Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { enqueueEvent } from '@trustno1/bus';
import {
  AccountsEvents,
  type Health,
  type PlayerLeftEvent,
  type Position,
  type Rotation,
} from '@trustno1/contracts';
import {
  PG_POOL,
  runIdempotent,
  withTransaction,
  type IdempotencyClaim,
  type IdempotentOutcome,
} from '@trustno1/db';

/**
 * The longest straight line between two flushes (10 s apart) that counts as travel: a fast vehicle
 * covers a few hundred units; anything longer is a teleport or a respawn.
 */
export const MAX_FLUSH_DISTANCE = 1_000;

/** Who a character is joined to, as PostgreSQL (the authority) has it. */
export interface PresenceRow {
  id: string;
  serverId: string | null;
  lingerUntil: Date | null;
}

/** Where a player is and how it is, as written to or read from `players`. */
export interface Placement {
  position: Position;
  rotation: Rotation;
  chunkX: number;
  chunkZ: number;
  health?: Health;
}

export interface JoinedRow extends Placement {
  health: Health;
}

export type JoinOutcome =
  { kind: 'joined'; row: JoinedRow } | { kind: 'full'; capacity: number } | { kind: 'moved' };

/** One dirty player's state for the batch flush. */
export interface FlushRow extends Placement {
  playerId: string;
  serverId: string;
  seenAtMs: number;
}

interface PlayerRow {
  position: Position;
  rotation: Rotation;
  chunk_x: number;
  chunk_z: number;
  health: Health;
}

const jsonOrNull = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

@Injectable()
export class PresenceRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Runs `work` in one transaction with the caller's idempotency record (see runIdempotent). */
  idempotent<T>(
    claim: IdempotencyClaim | undefined,
    work: (tx: PoolClient) => Promise<T>,
  ): Promise<IdempotentOutcome<T>> {
    return runIdempotent(this.pool, claim, work);
  }

  async findPresence(playerId: string): Promise<PresenceRow | null> {
    const { rows } = await this.pool.query<{
      id: string;
      server_id: string | null;
      linger_until: Date | null;
    }>(`SELECT id, server_id, linger_until FROM players WHERE id = $1`, [playerId]);
    const row = rows[0];
    return row ? { id: row.id, serverId: row.server_id, lingerUntil: row.linger_until } : null;
  }

  /** The server of each id that exists (ids absent from the map are unknown characters). */
  async serversOf(playerIds: string[]): Promise<Map<string, string | null>> {
    const { rows } = await this.pool.query<{ id: string; server_id: string | null }>(
      `SELECT id, server_id FROM players WHERE id = ANY($1::uuid[])`,
      [playerIds],
    );
    return new Map(rows.map((r) => [r.id, r.server_id]));
  }

  /**
   * Joins a character to a server inside `tx`: the server row is locked so concurrent joins count
   * seats one at a time, then one statement counts the seats taken (fresh snapshot, after the lock)
   * and compare-and-sets `server_id` from `previousServerId`. `carried` is the unflushed state of a
   * dead server's stay, kept rather than lost, with that stay's playtime.
   */
  async join(
    tx: PoolClient,
    input: {
      playerId: string;
      serverId: string;
      previousServerId: string | null;
      at: Date;
      carried: Placement | null;
      playtime: number;
    },
  ): Promise<JoinOutcome | null> {
    const server = await tx.query<{ cap: number }>(
      `SELECT least(max_players, 1000) AS cap FROM game_servers WHERE id = $1 AND revoked_at IS NULL FOR UPDATE`,
      [input.serverId],
    );
    const capacity = server.rows[0]?.cap;
    if (capacity === undefined) return null;
    const c = input.carried;
    const { rows } = await tx.query<PlayerRow & { taken: number; id: string | null }>(
      `WITH seats AS (SELECT count(*)::int AS taken FROM players WHERE server_id = $2 AND id <> $1),
       joined AS (
         UPDATE players p
            SET server_id = $2, is_online = true, last_seen = $4, linger_until = NULL,
                position = coalesce($5::jsonb, p.position), rotation = coalesce($6::jsonb, p.rotation),
                chunk_x = coalesce($7, p.chunk_x), chunk_z = coalesce($8, p.chunk_z),
                health = coalesce($9::jsonb, p.health),
                playtime_seconds = coalesce(p.playtime_seconds, 0) + $10
           FROM seats
          WHERE p.id = $1 AND p.server_id IS NOT DISTINCT FROM $3 AND seats.taken < $11
         RETURNING p.id, p.position, p.rotation, p.chunk_x, p.chunk_z, p.health)
       SELECT seats.taken, joined.* FROM seats LEFT JOIN joined ON true`,
      [
        input.playerId,
        input.serverId,
        input.previousServerId,
        input.at,
        jsonOrNull(c?.position),
        jsonOrNull(c?.rotation),
        c?.chunkX ?? null,
        c?.chunkZ ?? null,
        jsonOrNull(c?.health),
        input.playtime,
        capacity,
      ],
    );
    const row = rows[0];
    if (row.id !== null) {
      return {
        kind: 'joined',
        row: {
          position: row.position,
          rotation: row.rotation,
          chunkX: row.chunk_x,
          chunkZ: row.chunk_z,
          health: row.health,
        },
      };
    }
    return row.taken >= capacity ? { kind: 'full', capacity } : { kind: 'moved' };
  }

  /**
   * Leave (or start lingering) in one statement, only if the player is still joined to `serverId`.
   * Writes the last known placement and the stay's playtime. False when the player was not there.
   */
  async leave(
    tx: PoolClient,
    input: {
      playerId: string;
      serverId: string;
      at: Date;
      placement: Placement | null;
      playtime: number;
      lingerUntil: Date | null;
    },
  ): Promise<boolean> {
    const p = input.placement;
    const result = await tx.query(
      `UPDATE players
          SET position = coalesce($4::jsonb, position), rotation = coalesce($5::jsonb, rotation),
              chunk_x = coalesce($6, chunk_x), chunk_z = coalesce($7, chunk_z), health = coalesce($8::jsonb, health),
              last_seen = $3, playtime_seconds = coalesce(playtime_seconds, 0) + $9,
              linger_until = $10,
              is_online = $10::timestamptz IS NOT NULL,
              server_id = CASE WHEN $10::timestamptz IS NULL THEN NULL ELSE server_id END
        WHERE id = $1 AND server_id = $2`,
      [
        input.playerId,
        input.serverId,
        input.at,
        jsonOrNull(p?.position),
        jsonOrNull(p?.rotation),
        p?.chunkX ?? null,
        p?.chunkZ ?? null,
        jsonOrNull(p?.health),
        input.playtime,
        input.lingerUntil,
      ],
    );
    return (result.rowCount ?? 0) === 1;
  }

  /**
   * Writes a batch of Redis states in one statement. A row is skipped unless the player is still
   * joined to the server that wrote the state, so a stale state never moves someone who left.
   */
  async flushPositions(rows: FlushRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    // `was` is the row before the update: the straight line from the last stored position to the
    // new one is added to distance_traveled (teleports and respawns, longer than
    // MAX_FLUSH_DISTANCE, are not travel).
    const result = await this.pool.query<{ n: number }>(
      `WITH moved AS (
         UPDATE players p
            SET position = u.position, rotation = u.rotation, chunk_x = u.chunk_x, chunk_z = u.chunk_z,
                health = coalesce(u.health, p.health), last_seen = greatest(p.last_seen, to_timestamp(u.seen_ms / 1000.0))
           FROM unnest($1::uuid[], $2::uuid[], $3::jsonb[], $4::jsonb[], $5::int[], $6::int[], $7::jsonb[], $8::float8[])
                AS u(id, server_id, position, rotation, chunk_x, chunk_z, health, seen_ms),
                players was
          WHERE p.id = u.id AND was.id = u.id AND p.server_id = u.server_id
         RETURNING p.id,
                   sqrt(power((u.position->>'x')::float8 - (was.position->>'x')::float8, 2)
                      + power((u.position->>'y')::float8 - (was.position->>'y')::float8, 2)
                      + power((u.position->>'z')::float8 - (was.position->>'z')::float8, 2)) AS distance
       ), travelled AS (
         UPDATE player_stats s
            SET distance_traveled = coalesce(s.distance_traveled, 0) + m.distance
           FROM moved m
          WHERE s.player_id = m.id AND m.distance > 0 AND m.distance <= $9
       )
       SELECT count(*)::int AS n FROM moved`,
      [
        rows.map((r) => r.playerId),
        rows.map((r) => r.serverId),
        rows.map((r) => JSON.stringify(r.position)),
        rows.map((r) => JSON.stringify(r.rotation)),
        rows.map((r) => r.chunkX),
        rows.map((r) => r.chunkZ),
        rows.map((r) => jsonOrNull(r.health)),
        rows.map((r) => r.seenAtMs),
        MAX_FLUSH_DISTANCE,
      ],
    );
    return result.rows[0].n;
  }

  /** Lingering players whose window has ended (the partial index on server_id keeps this small). */
  async lingerersDue(now: Date, limit: number): Promise<{ id: string; serverId: string }[]> {
    const { rows } = await this.pool.query<{ id: string; server_id: string }>(
      `SELECT id, server_id FROM players WHERE server_id IS NOT NULL AND linger_until <= $1 ORDER BY linger_until LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => ({ id: r.id, serverId: r.server_id }));
  }

  /**
   * Takes lingering players offline as a leave at `linger_until`, crediting each stay's playtime.
   * A player who rejoined meanwhile (linger_until cleared) is left alone. Returns the ids done.
   */
  async finalizeLingerers(
    now: Date,
    players: { id: string; joinedAtMs: number | null }[],
  ): Promise<string[]> {
    if (players.length === 0) return [];
    return withTransaction(this.pool, async (tx) => {
      // `was` is the row before the update: it still names the server the player lingered on.
      const { rows } = await tx.query<{ id: string; server_id: string; left_at: Date }>(
        `UPDATE players p
            SET is_online = false, server_id = NULL, last_seen = p.linger_until, linger_until = NULL,
                playtime_seconds = coalesce(p.playtime_seconds, 0)
                  + CASE WHEN u.joined_ms IS NULL THEN 0
                         ELSE greatest(0, floor(extract(epoch FROM p.linger_until) - u.joined_ms / 1000.0))::bigint END
           FROM unnest($2::uuid[], $3::float8[]) AS u(id, joined_ms), players was
          WHERE p.id = u.id AND was.id = u.id AND p.linger_until <= $1
         RETURNING p.id, was.server_id, was.linger_until AS left_at`,
        [now, players.map((p) => p.id), players.map((p) => p.joinedAtMs)],
      );
      for (const row of rows) {
        const event: PlayerLeftEvent = {
          playerId: row.id,
          serverId: row.server_id,
          reason: 'linger_ended',
          lingerUntil: null,
          at: row.left_at.toISOString(),
        };
        await enqueueEvent(tx, AccountsEvents.playerLeft, event);
      }
      return rows.map((r) => r.id);
    });
  }
}
