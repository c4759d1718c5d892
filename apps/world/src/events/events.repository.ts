import { Injectable } from '@nestjs/common';
import type { EventRewardView, JoinEventView, WorldEventView } from '@trustno1/contracts';
import { Prisma, type PrismaDb } from '@trustno1/db';
import type { ChunkMember } from '../chunks/chunk-keys.service';

/** What complete_world_event delivered to the winner: the created stacks and the overflow container. */
export interface RewardDelivery {
  items: { id: string }[];
  containerInventoryId: string | null;
}

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
  async insertOnce(tx: PrismaDb, e: NewWorldEvent): Promise<{ eventId: string; created: boolean }> {
    // Raw, not createManyAndReturn: that would stamp created_at with this process's clock.
    const claimed = await tx.$queryRaw<{ event_id: string }[]>`
      INSERT INTO world_event_spawns (spawn_key, event_id) VALUES (${e.spawnKey}, ${e.id})
      ON CONFLICT (spawn_key) DO NOTHING RETURNING event_id`;
    if (claimed.length === 0) {
      const taken = await tx.worldEventSpawn.findUniqueOrThrow({
        where: { spawnKey: e.spawnKey },
        select: { eventId: true },
      });
      return { eventId: taken.eventId, created: false };
    }
    await tx.worldEvent.createMany({
      data: [
        {
          id: e.id,
          eventType: e.eventType,
          name: e.name,
          location: e.location,
          chunkX: e.chunkX,
          chunkZ: e.chunkZ,
          participants: [],
          data: e.data as Prisma.InputJsonObject,
          startedAt: e.startedAt,
          endsAt: e.endsAt,
          completed: false,
        },
      ],
    });
    return { eventId: e.id, created: true };
  }

  /** Active: not completed and not past its end; inactive: the rest. Newest first, at most 500. */
  async list(db: PrismaDb, active: boolean | undefined, now: Date): Promise<WorldEventView[]> {
    // The literal `completed` of each filter lets the planner prune world_events' partitions.
    const where =
      active === undefined
        ? Prisma.sql`true`
        : active
          ? Prisma.sql`e.completed = false AND e.ends_at > ${now}`
          : Prisma.sql`(e.completed = true OR e.ends_at <= ${now})`;
    const rows = await db.$queryRaw<{ view: WorldEventView }[]>`
      SELECT world_event_json(e) AS view FROM world_events e WHERE ${where}
       ORDER BY e.started_at DESC, e.id LIMIT 500`;
    return rows.map((r) => r.view);
  }

  async view(db: PrismaDb, eventId: string): Promise<WorldEventView | null> {
    const [row] = await db.$queryRaw<{ view: WorldEventView }[]>`
      SELECT world_event_json(e) AS view FROM world_events e WHERE e.id = ${eventId}`;
    return row?.view ?? null;
  }

  async eventType(tx: PrismaDb, eventId: string): Promise<string | null> {
    const event = await tx.worldEvent.findFirst({ where: { id: eventId }, select: { eventType: true } });
    return event?.eventType ?? null;
  }

  async join(tx: PrismaDb, eventId: string, playerId: string, now: Date): Promise<JoinEventView> {
    const [row] = await tx.$queryRaw<{ result: JoinEventView }[]>`
      SELECT join_world_event(${eventId}, ${playerId}, ${now}) AS result`;
    return row.result;
  }

  async complete(
    tx: PrismaDb,
    eventId: string,
    winnerId: string,
    rewards: EventRewardView[],
    now: Date,
  ): Promise<{ view: WorldEventView; delivery: RewardDelivery }> {
    const [row] = await tx.$queryRaw<{ result: WorldEventView & { delivery: RewardDelivery } }[]>`
      SELECT complete_world_event(${eventId}, ${winnerId}, ${JSON.stringify(rewards)}::jsonb, ${now}) AS result`;
    const { delivery, ...view } = row.result;
    return { view, delivery };
  }

  /** The chunk of each event (after the commit, for the chunks' Redis events keys). */
  chunksOf(db: PrismaDb, eventIds: string[]): Promise<ChunkMember[]> {
    return db.worldEvent.findMany({
      where: { id: { in: eventIds } },
      select: { id: true, chunkX: true, chunkZ: true },
    });
  }

  async expire(db: PrismaDb, now: Date): Promise<string[]> {
    const [row] = await db.$queryRaw<{ ids: string[] }[]>`SELECT expire_world_events(${now}) AS ids`;
    return row.ids;
  }
}
