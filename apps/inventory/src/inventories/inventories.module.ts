import { Module } from '@nestjs/common';
import { InventoriesController } from './inventories.controller';
import { InventoriesRepository } from './inventories.repository';
import { InventoriesService } from './inventories.service';

@Module({ controllers: [InventoriesController], providers: [InventoriesService, InventoriesRepository] })
export class InventoriesModule {}
