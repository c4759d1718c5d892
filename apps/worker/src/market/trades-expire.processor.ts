import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { TradeOps, type ExpireTradesView } from '@trustno1/contracts';
import { ProcessorRegistry } from '@trustno1/queues';

/**
 * `market.trades.expire` (every 15 seconds): asks the market service to cancel the direct trades
 * idle for TRADE_TIMEOUT_SECONDS at the schedule's tick, and those with a character who left the
 * trade's server; their escrowed items go back to their owners.
 */
@Injectable()
export class TradesExpireProcessor implements OnModuleInit {
  private readonly logger = new Logger('market-trades-expire');

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule(
      'market.trades.expire',
      ({ tick }) => this.run(tick),
      TradesExpireProcessor.name,
    );
  }

  async run(tick: Date): Promise<ExpireTradesView> {
    const result = await this.bus.call(
      TradeOps.expireTrades,
      { now: tick.toISOString() },
      { principal: { kind: 'admin' } },
    );
    if (result.cancelled > 0) this.logger.log({ cancelled: result.cancelled }, 'trades cancelled');
    return result;
  }
}
