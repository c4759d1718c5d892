import { loadConfigOrExit, serviceConfigSchema } from '@trustno1/config';
import { exitOnStartupFailure, startService } from '@trustno1/host';
import { CatalogModule } from './catalog/catalog.module';
import { CommonModule } from './common/common.module';
import { InventoriesModule } from './inventories/inventories.module';
import { ItemsModule } from './items/items.module';

const config = loadConfigOrExit(serviceConfigSchema('inventory'), 'inventory');

startService({
  app: 'inventory',
  config,
  natsServer: true,
  imports: [CommonModule, CatalogModule, InventoriesModule, ItemsModule],
}).catch(exitOnStartupFailure('inventory'));
