import { Global, Module, type DynamicModule } from '@nestjs/common';
import { FACTIONS_CONFIG, type FactionsConfig } from './factions-config';
import { MembershipModule } from './membership/membership.module';
import { RaidsModule } from './raids/raids.module';
import { StatusModule } from './status/status.module';
import { TerritoriesModule } from './territories/territories.module';
import { TreasuryModule } from './treasury/treasury.module';

/** The factions service: its settings for every feature, and one module per feature folder. */
@Global()
@Module({})
export class FactionsModule {
  static forRoot(config: FactionsConfig): DynamicModule {
    return {
      module: FactionsModule,
      providers: [{ provide: FACTIONS_CONFIG, useValue: config }],
      exports: [FACTIONS_CONFIG],
      imports: [
        StatusModule,
        MembershipModule,
        TreasuryModule,
        TerritoriesModule,
        RaidsModule.forRoot(config),
      ],
    };
  }
}
