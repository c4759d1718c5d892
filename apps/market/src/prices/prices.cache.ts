import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { PriceCurrency } from '@trustno1/contracts';
import { REDIS, RedisKeys } from '@trustno1/redis';
import type { PriceSnapshot } from './prices.repository';

/**
 * The market keys, a cache of price_stats and price_candles (no TTL: the schedule rewrites them
 * every tick). `market:prices:{item}` HASH currency → the snapshot (JSON, with its history);
 * `market:volume:{item}` HASH currency → units of the last 24 h; `market:trends` HASH
 * `item:currency` → trend in percent ('' when there is none).
 */
@Injectable()
export class PricesCache {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async read(itemTemplateId: string, currency: PriceCurrency): Promise<PriceSnapshot | null> {
    const text = await this.redis.hget(RedisKeys.marketPrices(itemTemplateId), currency);
    return text === null ? null : (JSON.parse(text) as PriceSnapshot);
  }

  /** The schedule's write: every snapshot replaced, the dropped pairs removed. */
  async writeAll(
    snapshots: readonly PriceSnapshot[],
    removed: readonly { itemTemplateId: string; currency: PriceCurrency }[],
  ): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const s of snapshots) {
      pipeline.hset(RedisKeys.marketPrices(s.itemTemplateId), s.currency, JSON.stringify(s));
      pipeline.hset(RedisKeys.marketVolume(s.itemTemplateId), s.currency, String(s.volume));
      pipeline.hset(RedisKeys.marketTrends(), trendField(s.itemTemplateId, s.currency), trendText(s.trend));
    }
    for (const r of removed) {
      pipeline.hdel(RedisKeys.marketPrices(r.itemTemplateId), r.currency);
      pipeline.hdel(RedisKeys.marketVolume(r.itemTemplateId), r.currency);
      pipeline.hdel(RedisKeys.marketTrends(), trendField(r.itemTemplateId, r.currency));
    }
    await exec(pipeline);
  }

  /**
   * A read's rebuild of one pair from PostgreSQL: HSETNX, so a schedule's newer write that landed
   * since the read is never replaced by these older figures.
   */
  async rebuild(s: PriceSnapshot): Promise<void> {
    const pipeline = this.redis.pipeline();
    pipeline.hsetnx(RedisKeys.marketPrices(s.itemTemplateId), s.currency, JSON.stringify(s));
    pipeline.hsetnx(RedisKeys.marketVolume(s.itemTemplateId), s.currency, String(s.volume));
    pipeline.hsetnx(RedisKeys.marketTrends(), trendField(s.itemTemplateId, s.currency), trendText(s.trend));
    await exec(pipeline);
  }
}

/** The field of a template and currency in market:trends. */
export function trendField(itemTemplateId: string, currency: PriceCurrency): string {
  return `${itemTemplateId}:${currency}`;
}

function trendText(trend: number | null): string {
  return trend === null ? '' : String(trend);
}

async function exec(pipeline: ReturnType<Redis['pipeline']>): Promise<void> {
  const results = (await pipeline.exec()) ?? [];
  for (const [error] of results) if (error) throw error;
}
