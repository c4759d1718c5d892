import { Injectable } from '@nestjs/common';
import type { MarketPricesView, PriceCurrency } from '@trustno1/contracts';
import { PrismaClient } from '@trustno1/db';

/** One template's statistics as price_snapshot writes them. */
export type PriceSnapshot = MarketPricesView;

/** What update_market_prices did at a tick. */
export interface PricesUpdate {
  computedThrough: string;
  skipped: boolean;
  candles: number;
  snapshots: PriceSnapshot[];
  removed: { itemTemplateId: string; currency: PriceCurrency }[];
}

/** The only file of prices that speaks SQL: one function of prisma/sql/market/20_prices.sql per call. */
@Injectable()
export class PricesRepository {
  constructor(private readonly prisma: PrismaClient) {}

  /** The schedule's tick: candles, statistics, and every statistic now held. */
  async update(now: Date): Promise<PricesUpdate> {
    const [row] = await this.prisma.$queryRaw<{ r: PricesUpdate }[]>`
      SELECT market.update_market_prices(${now}::timestamptz) AS r`;
    return row.r;
  }

  /** A template's statistics from PostgreSQL; `known` false for a template the catalog lacks. */
  async read(
    itemTemplateId: string,
    currency: PriceCurrency,
  ): Promise<{ known: boolean; snapshot: PriceSnapshot | null }> {
    const [row] = await this.prisma.$queryRaw<{ r: { known: boolean; snapshot: PriceSnapshot | null } }[]>`
      SELECT market.read_prices(${itemTemplateId}, ${currency}::market.currency_type) AS r`;
    return row.r;
  }
}
