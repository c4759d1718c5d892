import { Injectable } from '@nestjs/common';
import type { ExpireTradesView, Principal, TradeView } from '@trustno1/contracts';
import { PrismaClient, type IdempotencyClaim } from '@trustno1/db';

/** An item or coin amount of one side's offer, as the SQL functions take them. */
export interface OfferParts {
  items: { itemId: string; quantity: number }[];
  money: { currency: string; amount: number }[];
}

/**
 * The only file of trades that speaks SQL: each operation is one call of its function in
 * prisma/sql/market/21_trades.sql (idempotency claim, the trade's lock, the checks and the change).
 */
@Injectable()
export class TradesRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async open(
    principal: Principal,
    claim: IdempotencyClaim | undefined,
    initiatorId: string,
    partnerId: string,
    timeoutSeconds: number,
  ): Promise<TradeView> {
    const [row] = await this.prisma.$queryRaw<{ r: TradeView }[]>`
      SELECT market.open_trade(${JSON.stringify(principal)}::jsonb, ${claim?.principal ?? null},
             ${claim?.key ?? null}, ${claim?.requestHash ?? null}, ${initiatorId}::uuid, ${partnerId}::uuid,
             ${timeoutSeconds}::int) AS r`;
    return row.r;
  }

  async setOffer(
    principal: Principal,
    claim: IdempotencyClaim | undefined,
    tradeId: string,
    playerId: string,
    offer: OfferParts,
    timeoutSeconds: number,
  ): Promise<TradeView> {
    const [row] = await this.prisma.$queryRaw<{ r: TradeView }[]>`
      SELECT market.set_trade_offer(${JSON.stringify(principal)}::jsonb, ${claim?.principal ?? null},
             ${claim?.key ?? null}, ${claim?.requestHash ?? null}, ${tradeId}::uuid, ${playerId}::uuid,
             ${JSON.stringify(offer.items)}::jsonb, ${JSON.stringify(offer.money)}::jsonb,
             ${timeoutSeconds}::int) AS r`;
    return row.r;
  }

  async accept(
    principal: Principal,
    claim: IdempotencyClaim | undefined,
    tradeId: string,
    playerId: string,
    version: number | null,
    timeoutSeconds: number,
  ): Promise<TradeView> {
    const [row] = await this.prisma.$queryRaw<{ r: TradeView }[]>`
      SELECT market.accept_trade(${JSON.stringify(principal)}::jsonb, ${claim?.principal ?? null},
             ${claim?.key ?? null}, ${claim?.requestHash ?? null}, ${tradeId}::uuid, ${playerId}::uuid,
             ${version}::int, ${timeoutSeconds}::int) AS r`;
    return row.r;
  }

  async cancel(principal: Principal, tradeId: string, timeoutSeconds: number): Promise<TradeView> {
    const [row] = await this.prisma.$queryRaw<{ r: TradeView }[]>`
      SELECT market.cancel_trade(${JSON.stringify(principal)}::jsonb, ${tradeId}::uuid, ${timeoutSeconds}::int) AS r`;
    return row.r;
  }

  /** NULL when there is no such trade or the principal may not see it. */
  async get(principal: Principal, tradeId: string, timeoutSeconds: number): Promise<TradeView | null> {
    const [row] = await this.prisma.$queryRaw<{ r: TradeView | null }[]>`
      SELECT market.get_trade(${JSON.stringify(principal)}::jsonb, ${tradeId}::uuid, ${timeoutSeconds}::int) AS r`;
    return row.r;
  }

  async expire(now: Date, timeoutSeconds: number, limit: number): Promise<ExpireTradesView> {
    const [row] = await this.prisma.$queryRaw<{ r: ExpireTradesView }[]>`
      SELECT market.expire_trades(${now}::timestamptz, ${timeoutSeconds}::int, ${limit}::int) AS r`;
    return row.r;
  }
}
