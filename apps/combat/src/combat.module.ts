import { Global, Module, type DynamicModule } from '@nestjs/common';
import { COMBAT_CONFIG, type CombatConfig } from './combat-config';
import { HitsModule } from './hits/hits.module';
import { LogsModule } from './logs/logs.module';
import { ProjectilesModule } from './projectiles/projectiles.module';
import { RaidsModule } from './raids/raids.module';
import { StatusModule } from './status/status.module';

/** The combat service: its settings for every feature, and one module per feature folder. */
@Global()
@Module({})
export class CombatModule {
  static forRoot(config: CombatConfig): DynamicModule {
    return {
      module: CombatModule,
      providers: [{ provide: COMBAT_CONFIG, useValue: config }],
      exports: [COMBAT_CONFIG],
      imports: [StatusModule, HitsModule, LogsModule, ProjectilesModule, RaidsModule],
    };
  }
}
