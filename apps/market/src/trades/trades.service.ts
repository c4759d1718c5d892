import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCode,
  type ExpireTradesView,
  type Principal,
  type TradeOfferRequest,
  type TradeView,
} from '@trustno1/contracts';
import {
  checkIdempotencyKey,
  mapProcedureErrors,
  prismaStatement,
  type IdempotencyClaim,
} from '@trustno1/db';
import { TRADES_CONFIG, type TradesConfig } from './trades-config';
import { TradesRepository } from './trades.repository';

/**
 * Direct trades: every operation is one SQL call (retried on deadlock and serialization failure),
 * the rules live in prisma/sql/market/21_trades.sql; this maps errors and passes the settings.
 */
@Injectable()
export class TradesService {
  constructor(
    private readonly repository: TradesRepository,
    @Inject(TRADES_CONFIG) private readonly config: TradesConfig,
  ) {}

  open(
    principal: Principal,
    req: { initiatorId: string; partnerId: string },
    claim: IdempotencyClaim | undefined,
  ): Promise<TradeView> {
    if (claim) checkIdempotencyKey(claim);
    return this.call(() =>
      this.repository.open(principal, claim, req.initiatorId, req.partnerId, this.timeout),
    );
  }

  setOffer(
    principal: Principal,
    req: TradeOfferRequest,
    claim: IdempotencyClaim | undefined,
  ): Promise<TradeView> {
    if (claim) checkIdempotencyKey(claim);
    return this.call(() =>
      this.repository.setOffer(principal, claim, req.tradeId, req.playerId, req, this.timeout),
    );
  }

  accept(
    principal: Principal,
    req: { tradeId: string; playerId: string; version?: number },
    claim: IdempotencyClaim | undefined,
  ): Promise<TradeView> {
    if (claim) checkIdempotencyKey(claim);
    return this.call(() =>
      this.repository.accept(principal, claim, req.tradeId, req.playerId, req.version ?? null, this.timeout),
    );
  }

  async cancel(principal: Principal, tradeId: string): Promise<null> {
    await this.call(() => this.repository.cancel(principal, tradeId, this.timeout));
    return null;
  }

  async get(principal: Principal, tradeId: string): Promise<TradeView> {
    const trade = await this.call(() => this.repository.get(principal, tradeId, this.timeout));
    if (!trade) throw new AppError(ErrorCode.NOT_FOUND, 'Trade not found', { tradeId });
    return trade;
  }

  /** The market.trades.expire schedule's tick. */
  expire(now: string): Promise<ExpireTradesView> {
    return this.call(() =>
      this.repository.expire(new Date(now), this.timeout, this.config.TRADE_EXPIRE_BATCH),
    );
  }

  private get timeout(): number {
    return this.config.TRADE_TIMEOUT_SECONDS;
  }

  private call<T>(work: () => Promise<T>): Promise<T> {
    return mapProcedureErrors(() => prismaStatement(work));
  }
}
