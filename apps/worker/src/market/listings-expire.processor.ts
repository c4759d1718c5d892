import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { MarketOps, type ExpireListingsView } from '@trustno1/contracts';
import { ProcessorRegistry } from '@trustno1/queues';

/** Batches one run may ask for before leaving the rest to the next tick. */
const MAX_BATCHES = 20;

/**
 * `market.listings.expire` (every minute): asks the market service to expire the active listings
 * whose time passed by the schedule's tick, batch after batch while it answers `more`; each
 * expired listing's unsold remainder goes back to its seller (or the seller's claims). The tick,
 * not the worker's clock, is "now"; the service takes due listings FOR UPDATE SKIP LOCKED, so two
 * workers never expire one listing twice.
 */
@Injectable()
export class ListingsExpireProcessor implements OnModuleInit {
  private readonly logger = new Logger('market-listings-expire');

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule(
      'market.listings.expire',
      ({ tick }) => this.run(tick),
      ListingsExpireProcessor.name,
    );
  }

  async run(tick: Date): Promise<ExpireListingsView> {
    const total: ExpireListingsView = { expired: 0, claims: 0, more: false };
    for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
      const result = await this.bus.call(
        MarketOps.expireListings,
        { now: tick.toISOString() },
        { principal: { kind: 'admin' } },
      );
      total.expired += result.expired;
      total.claims += result.claims;
      total.more = result.more;
      if (!result.more) break;
    }
    if (total.expired > 0) this.logger.log(total, 'listings expired');
    return total;
  }
}
