import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AccessRepository } from './access/access.repository';
import { CLOCK, INVENTORY_CONFIG, type Clock, type InventoryConfig } from './inventory-config';
import { LimitsService } from './limits/limits.service';

const systemClock: Clock = { now: () => new Date() };

/** What every inventory feature shares: access checks, the active-items limit, the configuration and the clock. */
@Global()
@Module({})
export class InventoryCoreModule {
  static forRoot(config: InventoryConfig): DynamicModule {
    return {
      module: InventoryCoreModule,
      providers: [
        AccessRepository,
        LimitsService,
        { provide: INVENTORY_CONFIG, useValue: config },
        { provide: CLOCK, useValue: systemClock },
      ],
      exports: [AccessRepository, INVENTORY_CONFIG, CLOCK],
    };
  }
}
