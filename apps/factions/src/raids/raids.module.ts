import { Module } from '@nestjs/common';
import { RaidReputationConsumer } from './raid-reputation.consumer';

/** Raids seen from the factions side (issue 14): reputation from won raids, raid alerts. */
@Module({ providers: [RaidReputationConsumer] })
export class RaidsModule {}
