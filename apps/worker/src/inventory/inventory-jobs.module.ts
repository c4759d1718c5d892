import { Module } from '@nestjs/common';
import { CorpsesCleanupProcessor } from './corpses-cleanup.processor';
import { LootGenerationProcessor } from './loot-generation.processor';

/** The inventory's jobs: loot_generation and the corpses.cleanup schedule. */
@Module({ providers: [LootGenerationProcessor, CorpsesCleanupProcessor] })
export class InventoryJobsModule {}
