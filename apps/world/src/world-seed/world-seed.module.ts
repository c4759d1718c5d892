import { Global, Module, type DynamicModule } from '@nestjs/common';
import { seedFrom } from '@trustno1/world-domain';
import type { WorldConfig } from '../world-config';
import { WORLD_SEED } from './world-seed';

/** The seed every chunk's terrain, event spawn and path search derives from (WORLD_SEED). */
@Global()
@Module({})
export class WorldSeedModule {
  static forRoot(config: Pick<WorldConfig, 'WORLD_SEED'>): DynamicModule {
    return {
      module: WorldSeedModule,
      providers: [{ provide: WORLD_SEED, useValue: seedFrom(config.WORLD_SEED) }],
      exports: [WORLD_SEED],
    };
  }
}
