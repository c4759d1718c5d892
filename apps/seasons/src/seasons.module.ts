import { Global, Module, type DynamicModule } from '@nestjs/common';
import { ClockModule } from './clock/clock';
import { LeaderboardsModule } from './leaderboards/leaderboards.module';
import { SEASONS_CONFIG, type SeasonsConfig } from './seasons-config';
import { SeasonsFeatureModule } from './seasons/seasons.module';
import { StatusModule } from './status/status.module';

/** The seasons service: its settings for every feature, and one module per feature folder. */
@Global()
@Module({})
export class SeasonsModule {
  static forRoot(config: SeasonsConfig): DynamicModule {
    return {
      module: SeasonsModule,
      providers: [{ provide: SEASONS_CONFIG, useValue: config }],
      exports: [SEASONS_CONFIG],
      imports: [ClockModule, StatusModule, LeaderboardsModule, SeasonsFeatureModule],
    };
  }
}
