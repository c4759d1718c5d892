import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { RaidOps, type CloseIdleRaidsView } from '@trustno1/contracts';
import { ProcessorRegistry } from '@trustno1/queues';

/**
 * `raids.close-idle` (every minute): asks the combat service to close the raids without raid
 * damage for RAID_IDLE_MINUTES at the schedule's tick (loot taken from the item ledger, successful,
 * evt.combat.raid.ended.v1). The tick, not the worker's clock, is "now".
 */
@Injectable()
export class RaidsCloseProcessor implements OnModuleInit {
  private readonly logger = new Logger('raids-close-idle');

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule(
      'raids.close-idle',
      ({ tick }) => this.run(tick),
      RaidsCloseProcessor.name,
    );
  }

  async run(tick: Date): Promise<CloseIdleRaidsView> {
    const result = await this.bus.call(
      RaidOps.closeIdleRaids,
      { now: tick.toISOString() },
      { principal: { kind: 'admin' } },
    );
    if (result.closed > 0) this.logger.log({ closed: result.closed }, 'raids closed');
    return result;
  }
}
