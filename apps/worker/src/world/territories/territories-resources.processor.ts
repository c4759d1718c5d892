import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { WorldOps, type TerritoryResourcesCreditView } from '@trustno1/contracts';
import { ProcessorRegistry, type ScheduleRun } from '@trustno1/queues';

/**
 * `territories.resources` (hourly): asks the world service, which owns `territories`, to credit the
 * hour that ended at the tick. The tick is sent, so a retried run credits the same hour, once.
 */
@Injectable()
export class TerritoriesResourcesProcessor implements OnModuleInit {
  private readonly logger = new Logger('territories-resources');

  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerSchedule(
      'territories.resources',
      (run) => this.run(run),
      TerritoriesResourcesProcessor.name,
    );
  }

  async run(run: Pick<ScheduleRun, 'tick'>): Promise<TerritoryResourcesCreditView> {
    const result = await this.bus.call(
      WorldOps.creditTerritoryResources,
      { now: run.tick.toISOString() },
      { principal: { kind: 'admin' } },
    );
    if (result.credited > 0) this.logger.log(result, 'territory resources credited');
    return result;
  }
}
