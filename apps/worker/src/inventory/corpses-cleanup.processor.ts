import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { InventorySubjects, type CorpseCleanupView } from '@trustno1/contracts';
import { ProcessorRegistry } from '@trustno1/queues';

/**
 * `corpses.cleanup` (every minute): asks the inventory service to remove the corpses expired at
 * the schedule's tick, destroying their items through the ledger. The tick, not the worker's
 * clock, is "now", so a late run removes exactly what was due at its tick.
 */
@Injectable()
export class CorpsesCleanupProcessor implements OnModuleInit {
  private readonly logger = new Logger('corpses-cleanup');

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule(
      'corpses.cleanup',
      ({ tick }) => this.run(tick),
      CorpsesCleanupProcessor.name,
    );
  }

  async run(tick: Date): Promise<CorpseCleanupView> {
    const result = await this.bus.request<CorpseCleanupView>(
      InventorySubjects.cleanupCorpses,
      { now: tick.toISOString() },
      { principal: { kind: 'admin' } },
    );
    if (result.corpses > 0) this.logger.log(result, 'corpses removed');
    return result;
  }
}
