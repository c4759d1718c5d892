import { Global, Module, type DynamicModule } from '@nestjs/common';
import { seedFrom } from '@trustno1/world-domain';
import { CLOCK, systemClock, WORLD_SEED } from './tokens';
import type { WorldConfig } from './world-config';

/** What every world feature shares: the clock and the world seed. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(config: Pick<WorldConfig, 'WORLD_SEED'>): DynamicModule {
    const providers = [
      { provide: CLOCK, useValue: systemClock },
      { provide: WORLD_SEED, useValue: seedFrom(config.WORLD_SEED) },
    ];
    return { module: CommonModule, providers, exports: [CLOCK, WORLD_SEED] };
  }
}
