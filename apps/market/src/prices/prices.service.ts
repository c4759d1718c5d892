import { Injectable, Logger } from '@nestjs/common';
import {
  AppError,
  ErrorCode,
  type MarketPricesView,
  type PriceCurrency,
  type UpdateMarketPricesView,
} from '@trustno1/contracts';
import { prismaStatement } from '@trustno1/db';
import { PricesCache } from './prices.cache';
import { PricesRepository } from './prices.repository';

/** The seed's default currency, for a price asked without `?currency=`. */
export const DEFAULT_PRICE_CURRENCY: PriceCurrency = 'scrap';

/**
 * Price statistics: the schedule recomputes them in PostgreSQL and rewrites the market keys; a
 * read answers from Redis and, when Redis lost the pair, from PostgreSQL, putting it back.
 */
@Injectable()
export class PricesService {
  private readonly logger = new Logger('market.prices');

  constructor(
    private readonly repository: PricesRepository,
    private readonly cache: PricesCache,
  ) {}

  async get(
    itemTemplateId: string,
    currency: PriceCurrency = DEFAULT_PRICE_CURRENCY,
  ): Promise<MarketPricesView> {
    const cached = await this.readCache(itemTemplateId, currency);
    if (cached) return cached;
    const { known, snapshot } = await prismaStatement(() => this.repository.read(itemTemplateId, currency));
    if (!known) throw new AppError(ErrorCode.NOT_FOUND, 'Item template not found', { itemTemplateId });
    if (!snapshot) return empty(itemTemplateId, currency);
    await this.cache.rebuild(snapshot).catch((error: unknown) => {
      this.logger.warn(`market:prices:${itemTemplateId} not rebuilt: ${String(error)}`);
    });
    return snapshot;
  }

  /** The market.prices.update schedule's tick: PostgreSQL first, then every key rewritten. */
  async update(now: string): Promise<UpdateMarketPricesView> {
    const result = await prismaStatement(() => this.repository.update(new Date(now)));
    await this.cache.writeAll(result.snapshots, result.removed);
    return {
      computedThrough: result.computedThrough,
      skipped: result.skipped,
      candles: result.candles,
      templates: result.snapshots.length,
      removed: result.removed.length,
    };
  }

  /** Redis down answers from PostgreSQL: the figures are there, the cache is only faster. */
  private async readCache(itemTemplateId: string, currency: PriceCurrency): Promise<MarketPricesView | null> {
    try {
      return await this.cache.read(itemTemplateId, currency);
    } catch (error) {
      this.logger.warn(`market:prices:${itemTemplateId} unreadable: ${String(error)}`);
      return null;
    }
  }
}

/** A template of the catalog nobody bought in the last 7 days. */
function empty(itemTemplateId: string, currency: PriceCurrency): MarketPricesView {
  return { itemTemplateId, currency, average: null, volume: 0, trend: null, updatedAt: null, history: [] };
}
