import { Module } from '@nestjs/common';
import { CombatRecentCache } from './combat-recent.cache';
import { DamageQueueDrainer } from './damage-queue.drainer';
import { HitsController } from './hits.controller';
import { HitsRepository } from './hits.repository';
import { HitsService } from './hits.service';

@Module({
  controllers: [HitsController],
  providers: [HitsService, HitsRepository, CombatRecentCache, DamageQueueDrainer],
  exports: [HitsRepository, CombatRecentCache],
})
export class HitsModule {}
