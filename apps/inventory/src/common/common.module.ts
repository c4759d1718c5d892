import { Global, Module, type DynamicModule } from '@nestjs/common';
import { AccessRepository } from './access.repository';
import { INVENTORY_CONFIG, type InventoryConfig } from './inventory-config';
import { LimitsService } from './limits.service';

/** What every inventory feature shares: access checks and the app's configuration. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: InventoryConfig): DynamicModule {
    return {
      module: CommonModule,
      providers: [AccessRepository, LimitsService, { provide: INVENTORY_CONFIG, useValue: config }],
      exports: [AccessRepository, INVENTORY_CONFIG],
    };
  }
}
