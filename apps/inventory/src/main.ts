import { loadConfigOrExit } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';
import { CatalogModule } from './catalog/catalog.module';
import { InventoryCoreModule } from './inventory-core.module';
import { inventoryConfigSchema } from './inventory-config';
import { CorpsesModule } from './corpses/corpses.module';
import { InventoriesModule } from './inventories/inventories.module';
import { ItemsModule } from './items/items.module';
import { LootModule } from './loot/loot.module';

const config = loadConfigOrExit(inventoryConfigSchema, 'inventory');

startService({
  app: 'inventory',
  config,
  natsServer: true,
  imports: [
    InventoryCoreModule.forRoot(config),
    CatalogModule,
    InventoriesModule,
    ItemsModule,
    CorpsesModule,
    LootModule,
  ],
}).catch(exitOnStartupFailure('inventory'));
