import { Module } from '@nestjs/common';
import { RaidDamageConsumer } from './raid-damage.consumer';
import { loadRaidsConfig, RAIDS_CONFIG } from './raids-config';
import { RaidsController } from './raids.controller';
import { RaidsRepository } from './raids.repository';
import { RaidsService } from './raids.service';

/** Raids (issue 12): the structure-damaged consumer, the raid logs and the idle close. */
@Module({
  controllers: [RaidsController],
  providers: [
    { provide: RAIDS_CONFIG, useFactory: () => loadRaidsConfig() },
    RaidsRepository,
    RaidsService,
    RaidDamageConsumer,
  ],
})
export class RaidsModule {}
