import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AccessRepository } from './access.repository';
import { CLOCK, INVENTORY_CONFIG, type Clock, type InventoryConfig } from './inventory-config';
import { LimitsService } from './limits.service';

const systemClock: Clock = { now: () => new Date() };

/** What every inventory feature shares: access checks, the app's configuration and the clock. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: InventoryConfig): DynamicModule {
    return {
      module: CommonModule,
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
