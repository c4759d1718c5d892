import { Injectable, type OnModuleInit } from '@nestjs/common';
import { BusClient } from '@trustno1/bus';
import { InventorySubjects, type LootFillView } from '@trustno1/contracts';
import { ProcessorRegistry, type LootGenerationJob } from '@trustno1/queues';

/**
 * `loot_generation`: asks the inventory service, which owns the items, to fill the container for
 * the job's cycle. The fill is recorded with the items in one transaction (loot_fills), so a
 * job run twice, or taken by two workers, fills the container once.
 */
@Injectable()
export class LootGenerationProcessor implements OnModuleInit {
  constructor(
    private readonly registry: ProcessorRegistry,
    private readonly bus: BusClient,
  ) {}

  onModuleInit(): void {
    this.registry.registerQueue(
      'loot_generation',
      (payload) => this.run(payload),
      LootGenerationProcessor.name,
    );
  }

  run(job: LootGenerationJob): Promise<LootFillView> {
    return this.bus.request<LootFillView>(InventorySubjects.fillLoot, job, { principal: { kind: 'admin' } });
  }
}
