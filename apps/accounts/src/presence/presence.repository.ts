import { Injectable } from '@nestjs/common';
import { enqueueEventPrisma } from '@trustno1/bus';
import {
  AccountsEvents,
  type Health,
  type PlayerLeftEvent,
  type Position,
  type Rotation,
} from '@trustno1/contracts';
import {
  PrismaClient,
  prismaTransaction,
  runIdempotentPrisma,
  type IdempotencyClaim,
  type IdempotentOutcome,
  type PrismaDb,
} from '@trustno1/db';

/**
 * The longest straight line between two flushes (10 s apart) that counts as travel: a fast vehicle
 * covers a few hundred units; anything longer is a teleport or a respawn.
 */
export const MAX_FLUSH_DISTANCE = 1_000;

/** Who a character is joined to, as PostgreSQL (the authority) has it. */
export interface PresenceRow {
  id: string;
  accountId: string | null;
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

const jsonOrNull = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

@Injectable()
export class PresenceRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** Runs `work` in one transaction with the caller's idempotency record (see runIdempotentPrisma). */
  idempotent<T>(
    claim: IdempotencyClaim | undefined,
    work: (tx: PrismaDb) => Promise<T>,
  ): Promise<IdempotentOutcome<T>> {
    return runIdempotentPrisma(this.prisma, claim, work);
  }

  findPresence(playerId: string): Promise<PresenceRow | null> {
    return this.prisma.player.findUnique({
      where: { id: playerId },
      select: { id: true, accountId: true, serverId: true, lingerUntil: true },
    });
  }

  /** The server of each id that exists (ids absent from the map are unknown characters). */
  async serversOf(playerIds: string[]): Promise<Map<string, string | null>> {
    // A batch of up to 1,000 ids: one array parameter, where `id: { in }` would send 1,000.
    const rows = await this.prisma.$queryRaw<{ id: string; serverId: string | null }[]>`
      SELECT id, server_id AS "serverId" FROM players WHERE id = ANY(${playerIds}::uuid[])`;
    return new Map(rows.map((r) => [r.id, r.serverId]));
  }

  /**
   * Joins a character to a server inside `tx`: the server row is locked so concurrent joins count
   * seats one at a time, then one statement counts the seats taken (fresh snapshot, after the lock)
   * and compare-and-sets `server_id` from `previousServerId`. `carried` is the unflushed state of a
   * dead server's stay, kept rather than lost, with that stay's playtime.
   */
  async join(
    tx: PrismaDb,
    input: {
      playerId: string;
      serverId: string;
      previousServerId: string | null;
      at: Date;
      carried: Placement | null;
      playtime: number;
    },
  ): Promise<JoinOutcome | null> {
    const server = await tx.$queryRaw<{ cap: number }[]>`
      SELECT least(max_players, 1000) AS cap FROM game_servers
       WHERE id = ${input.serverId}::uuid AND revoked_at IS NULL FOR UPDATE`;
    const capacity = server[0]?.cap;
    if (capacity === undefined) return null;
    const { playerId, serverId, previousServerId, at, playtime } = input;
    const c = input.carried;
    const rows = await tx.$queryRaw<(JoinedRow & { taken: number; id: string | null })[]>`
      WITH seats AS (
        SELECT count(*)::int AS taken FROM players WHERE server_id = ${serverId}::uuid AND id <> ${playerId}::uuid),
      joined AS (
        UPDATE players p
           SET server_id = ${serverId}::uuid, is_online = true, last_seen = ${at}, linger_until = NULL,
               position = coalesce(${jsonOrNull(c?.position)}::jsonb, p.position),
               rotation = coalesce(${jsonOrNull(c?.rotation)}::jsonb, p.rotation),
               chunk_x = coalesce(${c?.chunkX ?? null}, p.chunk_x), chunk_z = coalesce(${c?.chunkZ ?? null}, p.chunk_z),
               health = CASE WHEN p.died_at IS NULL THEN coalesce(${jsonOrNull(c?.health)}::jsonb, p.health)
                             ELSE p.health END,
               playtime_seconds = coalesce(p.playtime_seconds, 0) + ${playtime}
          FROM seats
         WHERE p.id = ${playerId}::uuid AND p.server_id IS NOT DISTINCT FROM ${previousServerId}::uuid
           AND seats.taken < ${capacity}
        RETURNING p.id, p.position, p.rotation, p.chunk_x, p.chunk_z, p.health)
      SELECT seats.taken, joined.id, joined.position, joined.rotation, joined.chunk_x AS "chunkX",
             joined.chunk_z AS "chunkZ", joined.health
        FROM seats LEFT JOIN joined ON true`;
    const { taken, id, ...row } = rows[0];
    if (id !== null) return { kind: 'joined', row };
    return taken >= capacity ? { kind: 'full', capacity } : { kind: 'moved' };
  }

  /**
   * Leave (or start lingering) in one statement, only if the player is still joined to `serverId`.
   * Writes the last known placement and the stay's playtime. False when the player was not there.
   */
  async leave(
    tx: PrismaDb,
    input: {
      playerId: string;
      serverId: string;
      at: Date;
      placement: Placement | null;
      playtime: number;
      lingerUntil: Date | null;
    },
  ): Promise<boolean> {
    const { playerId, serverId, at, playtime, lingerUntil } = input;
    const p = input.placement;
    const updated = await tx.$executeRaw`
      UPDATE players
         SET position = coalesce(${jsonOrNull(p?.position)}::jsonb, position),
             rotation = coalesce(${jsonOrNull(p?.rotation)}::jsonb, rotation),
             chunk_x = coalesce(${p?.chunkX ?? null}, chunk_x), chunk_z = coalesce(${p?.chunkZ ?? null}, chunk_z),
             health = CASE WHEN died_at IS NULL THEN coalesce(${jsonOrNull(p?.health)}::jsonb, health) ELSE health END,
             last_seen = ${at}, playtime_seconds = coalesce(playtime_seconds, 0) + ${playtime},
             linger_until = ${lingerUntil}::timestamptz,
             is_online = ${lingerUntil}::timestamptz IS NOT NULL,
             server_id = CASE WHEN ${lingerUntil}::timestamptz IS NULL THEN NULL ELSE server_id END
       WHERE id = ${playerId}::uuid AND server_id = ${serverId}::uuid`;
    return updated === 1;
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
    const [{ n }] = await this.prisma.$queryRaw<{ n: number }[]>`
      WITH moved AS (
         UPDATE players p
            SET position = u.position, rotation = u.rotation, chunk_x = u.chunk_x, chunk_z = u.chunk_z,
                health = CASE WHEN p.died_at IS NULL THEN coalesce(u.health, p.health) ELSE p.health END,
                last_seen = greatest(p.last_seen, to_timestamp(u.seen_ms / 1000.0))
           FROM unnest(${rows.map((r) => r.playerId)}::uuid[], ${rows.map((r) => r.serverId)}::uuid[],
                       ${rows.map((r) => JSON.stringify(r.position))}::jsonb[],
                       ${rows.map((r) => JSON.stringify(r.rotation))}::jsonb[],
                       ${rows.map((r) => r.chunkX)}::int[], ${rows.map((r) => r.chunkZ)}::int[],
                       ${rows.map((r) => jsonOrNull(r.health))}::jsonb[], ${rows.map((r) => r.seenAtMs)}::float8[])
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
          WHERE s.player_id = m.id AND m.distance > 0 AND m.distance <= ${MAX_FLUSH_DISTANCE}
       )
       SELECT count(*)::int AS n FROM moved`;
    return n;
  }

  /** Lingering players whose window has ended (the partial index on server_id keeps this small). */
  async lingerersDue(now: Date, limit: number): Promise<{ id: string; serverId: string }[]> {
    const rows = await this.prisma.player.findMany({
      where: { serverId: { not: null }, lingerUntil: { lte: now } },
      orderBy: { lingerUntil: 'asc' },
      take: limit,
      select: { id: true, serverId: true },
    });
    return rows.map((r) => ({ id: r.id, serverId: r.serverId! }));
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
    return prismaTransaction(this.prisma, async (tx) => {
      // `was` is the row before the update: it still names the server the player lingered on.
      const rows = await tx.$queryRaw<{ id: string; serverId: string; leftAt: Date }[]>`
        UPDATE players p
            SET is_online = false, server_id = NULL, last_seen = p.linger_until, linger_until = NULL,
                playtime_seconds = coalesce(p.playtime_seconds, 0)
                  + CASE WHEN u.joined_ms IS NULL THEN 0
                         ELSE greatest(0, floor(extract(epoch FROM p.linger_until) - u.joined_ms / 1000.0))::bigint END
           FROM unnest(${players.map((p) => p.id)}::uuid[], ${players.map((p) => p.joinedAtMs)}::float8[])
                AS u(id, joined_ms),
                players was
          WHERE p.id = u.id AND was.id = u.id AND p.linger_until <= ${now}
         RETURNING p.id, was.server_id AS "serverId", was.linger_until AS "leftAt"`;
      for (const row of rows) {
        const event: PlayerLeftEvent = {
          playerId: row.id,
          serverId: row.serverId,
          reason: 'linger_ended',
          lingerUntil: null,
          at: row.leftAt.toISOString(),
        };
        await enqueueEventPrisma(tx, AccountsEvents.playerLeft, event);
      }
      return rows.map((r) => r.id);
    });
  }
}
