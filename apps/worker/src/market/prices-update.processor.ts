import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { MarketPriceOps, type UpdateMarketPricesView } from '@trustno1/contracts';
import { ProcessorRegistry } from '@trustno1/queues';

/**
 * `market.prices.update` (every 5 minutes): asks the market service to recompute the price
 * statistics at the schedule's tick (update_market_prices) and rewrite the market:* keys. The
 * tick, not the worker's clock, is "now", so a repeated run changes nothing.
 */
@Injectable()
export class PricesUpdateProcessor implements OnModuleInit {
  private readonly logger = new Logger('market-prices-update');

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule(
      'market.prices.update',
      ({ tick }) => this.run(tick),
      PricesUpdateProcessor.name,
    );
  }

  async run(tick: Date): Promise<UpdateMarketPricesView> {
    const result = await this.bus.call(
      MarketPriceOps.updatePrices,
      { now: tick.toISOString() },
      { principal: { kind: 'admin' } },
    );
    if (!result.skipped)
      this.logger.log({ templates: result.templates, candles: result.candles }, 'prices updated');
    return result;
  }
}
