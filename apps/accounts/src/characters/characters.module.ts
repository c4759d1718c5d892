import { Module, type DynamicModule } from '@nestjs/common';
import { seedFrom } from '@trustno1/world-domain';
import type { AccountsConfig } from '../accounts-config';
import { spawnPointsFromEnv, spawnPointsOnLand } from './character.rules';
import { CharactersController } from './characters.controller';
import { CharactersRepository } from './characters.repository';
import { CharactersService, SPAWN_POINTS } from './characters.service';

@Module({})
export class CharactersModule {
  static forRoot(config: Pick<AccountsConfig, 'WORLD_SEED'>): DynamicModule {
    return {
      module: CharactersModule,
      controllers: [CharactersController],
      providers: [
        CharactersService,
        CharactersRepository,
        // Read once at start-up, each point moved onto the nearest dry land of the world's terrain:
        // a bad SPAWN_POINTS, or one with no land within reach, stops the app naming it.
        {
          provide: SPAWN_POINTS,
          useFactory: () => spawnPointsOnLand(spawnPointsFromEnv(), seedFrom(config.WORLD_SEED)),
        },
      ],
    };
  }
}
