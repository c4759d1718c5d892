import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { ChunkMember } from '../chunks/chunk-keys.service';
import type { EventRewardView, JoinEventView, WorldEventView } from '@trustno1/contracts';

/** A new event row; the service fills it from a template. */
export interface NewWorldEvent {
  id: string;
  spawnKey: string;
  eventType: string;
  name: string;
  location: { x: number; y: number; z: number; radius: number };
  chunkX: number;
  chunkZ: number;
  data: Record<string, unknown>;
  startedAt: Date;
  endsAt: Date;
}

@Injectable()
export class EventsRepository {
  /**
   * Inserts the event unless its spawn key was used before; returns the id of the event of that key
   * and whether this call created it. The key row and the event commit together.
   */
  async insertOnce(tx: PoolClient, e: NewWorldEvent): Promise<{ eventId: string; created: boolean }> {
    const claimed = await tx.query<{ event_id: string }>(
      `INSERT INTO world_event_spawns (spawn_key, event_id) VALUES ($1, $2)
       ON CONFLICT (spawn_key) DO NOTHING RETURNING event_id`,
      [e.spawnKey, e.id],
    );
    if (claimed.rowCount === 0) {
      const { rows } = await tx.query<{ event_id: string }>(
        `SELECT event_id FROM world_event_spawns WHERE spawn_key = $1`,
        [e.spawnKey],
      );
      return { eventId: rows[0].event_id, created: false };
    }
    await tx.query(
      `INSERT INTO world_events (id, event_type, name, location, chunk_x, chunk_z, participants, data,
                                 started_at, ends_at, completed)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, '{}', $7::jsonb, $8, $9, false)`,
      [
        e.id,
        e.eventType,
        e.name,
        JSON.stringify(e.location),
        e.chunkX,
        e.chunkZ,
        JSON.stringify(e.data),
        e.startedAt,
        e.endsAt,
      ],
    );
    return { eventId: e.id, created: true };
  }

  /** Active: not completed and not past its end; inactive: the rest. Newest first, at most 500. */
  async list(db: Pool | PoolClient, active: boolean | undefined, now: Date): Promise<WorldEventView[]> {
    const [where, params] =
      active === undefined
        ? ['true', []]
        : [
            active ? 'e.completed = false AND e.ends_at > $1' : '(e.completed = true OR e.ends_at <= $1)',
            [now],
          ];
    const { rows } = await db.query<{ view: WorldEventView }>(
      `SELECT world_event_json(e) AS view FROM world_events e WHERE ${where}
        ORDER BY e.started_at DESC, e.id LIMIT 500`,
      params,
    );
    return rows.map((r) => r.view);
  }

  async view(db: Pool | PoolClient, eventId: string): Promise<WorldEventView | null> {
    const { rows } = await db.query<{ view: WorldEventView }>(
      `SELECT world_event_json(e) AS view FROM world_events e WHERE e.id = $1`,
      [eventId],
    );
    return rows[0]?.view ?? null;
  }

  async eventType(tx: PoolClient, eventId: string): Promise<string | null> {
    const { rows } = await tx.query<{ event_type: string }>(
      `SELECT event_type FROM world_events WHERE id = $1`,
      [eventId],
    );
    return rows[0]?.event_type ?? null;
  }

  async join(tx: PoolClient, eventId: string, playerId: string, now: Date): Promise<JoinEventView> {
    const { rows } = await tx.query<{ result: JoinEventView }>(
      `SELECT join_world_event($1, $2, $3) AS result`,
      [eventId, playerId, now],
    );
    return rows[0].result;
  }

  async complete(
    tx: PoolClient,
    eventId: string,
    winnerId: string,
    rewards: EventRewardView[],
    now: Date,
  ): Promise<WorldEventView> {
    const { rows } = await tx.query<{ result: WorldEventView }>(
      `SELECT complete_world_event($1, $2, $3::jsonb, $4) AS result`,
      [eventId, winnerId, JSON.stringify(rewards), now],
    );
    return rows[0].result;
  }

  /** The chunk of each event (after the commit, for the chunks' Redis events keys). */
  async chunksOf(db: Pool | PoolClient, eventIds: string[]): Promise<ChunkMember[]> {
    const { rows } = await db.query<ChunkMember>(
      `SELECT e.id, e.chunk_x AS "chunkX", e.chunk_z AS "chunkZ" FROM world_events e WHERE e.id = ANY($1::uuid[])`,
      [eventIds],
    );
    return rows;
  }

  async expire(db: Pool | PoolClient, now: Date): Promise<string[]> {
    const { rows } = await db.query<{ ids: string[] }>(`SELECT expire_world_events($1) AS ids`, [now]);
    return rows[0].ids;
  }
}
