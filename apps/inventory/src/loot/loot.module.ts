import { Module } from '@nestjs/common';
import { LootController } from './loot.controller';
import { LootRepository } from './loot.repository';
import { LootService } from './loot.service';

@Module({ controllers: [LootController], providers: [LootService, LootRepository] })
export class LootModule {}
