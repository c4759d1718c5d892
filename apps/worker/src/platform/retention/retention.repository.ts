import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { PrismaClient } from '@trustno1/db';
import { REDIS, RedisKeys } from '@trustno1/redis';

/** Rows or members removed per statement: short locks, and a backlog drains over several runs. */
export const PURGE_BATCH = 5_000;

/**
 * What retention.purge deletes. Each method deletes in batches, oldest first, until nothing past
 * the cutoff is left or `maxBatches` ran, and returns how many it removed.
 */
@Injectable()
export class RetentionRepository {
  constructor(
    private readonly prisma: PrismaClient,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  /** Idempotency records created before `cutoff` (their replays are no longer promised). */
  idempotencyKeys(cutoff: Date, maxBatches: number): Promise<number> {
    return this.batches(
      maxBatches,
      () =>
        this.prisma.$executeRaw`
        DELETE FROM idempotency_keys WHERE (principal, key) IN (
          SELECT principal, key FROM idempotency_keys WHERE created_at < ${cutoff}::timestamptz
           ORDER BY created_at LIMIT ${PURGE_BATCH})`,
    );
  }

  /** Outbox rows published before `cutoff`; unpublished rows are never touched. */
  publishedOutbox(cutoff: Date, maxBatches: number): Promise<number> {
    return this.batches(
      maxBatches,
      () =>
        this.prisma.$executeRaw`
        DELETE FROM outbox WHERE id IN (
          SELECT id FROM outbox WHERE published_at IS NOT NULL AND published_at < ${cutoff}::timestamptz
           ORDER BY published_at LIMIT ${PURGE_BATCH})`,
    );
  }

  /** Hit ids combat saw before `cutoff` (a retried hit older than that is no longer recognised). */
  seenHits(cutoff: Date, maxBatches: number): Promise<number> {
    return this.batches(maxBatches, async () => {
      const [row] = await this.prisma.$queryRaw<{ n: number }[]>`
        SELECT combat.purge_seen_hits(${cutoff}::timestamptz, ${PURGE_BATCH}::integer) AS n`;
      return row?.n ?? 0;
    });
  }

  /** Records of events consumed before `cutoff`. */
  processedEvents(cutoff: Date, maxBatches: number): Promise<number> {
    return this.batches(
      maxBatches,
      () =>
        this.prisma.$executeRaw`
        DELETE FROM processed_events WHERE (consumer, event_id) IN (
          SELECT consumer, event_id FROM processed_events WHERE processed_at < ${cutoff}::timestamptz
           ORDER BY processed_at LIMIT ${PURGE_BATCH})`,
    );
  }

  /**
   * Members of sessions:active whose session hash is gone (expired by its TTL; logout and bans
   * remove theirs already). SSCAN walks the set without blocking Redis; each page is checked with
   * one pipelined EXISTS per member.
   */
  async expiredSessions(): Promise<number> {
    const key = RedisKeys.sessionsActive();
    let cursor = '0';
    let removed = 0;
    do {
      const [next, members] = await this.redis.sscan(key, cursor, 'COUNT', 1000);
      cursor = next;
      if (members.length === 0) continue;
      const pipeline = this.redis.pipeline();
      for (const id of members) pipeline.exists(RedisKeys.session(id));
      const exists = (await pipeline.exec()) ?? [];
      const gone = members.filter((_, i) => exists[i]?.[1] === 0);
      if (gone.length > 0) removed += await this.redis.srem(key, ...gone);
    } while (cursor !== '0');
    return removed;
  }

  private async batches(maxBatches: number, once: () => Promise<number>): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < maxBatches; batch++) {
      const removed = await once();
      total += removed;
      if (removed < PURGE_BATCH) break;
    }
    return total;
  }
}
