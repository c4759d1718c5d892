import { Module } from '@nestjs/common';
import { CorpsesController } from './corpses.controller';
import { InventoriesController } from './inventories.controller';
import { ItemsController } from './items.controller';

/** HTTP routes of the inventory (SPEC §7); controllers forward to the inventory service over NATS. */
@Module({ controllers: [InventoriesController, ItemsController, CorpsesController] })
export class InventoryRoutesModule {}
