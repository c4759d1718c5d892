import { Module } from '@nestjs/common';
import { spawnPointsFromEnv } from './character.rules';
import { CharactersController } from './characters.controller';
import { CharactersRepository } from './characters.repository';
import { CharactersService, SPAWN_POINTS } from './characters.service';

@Module({
  controllers: [CharactersController],
  providers: [
    CharactersService,
    CharactersRepository,
    // Read once at start-up: a bad SPAWN_POINTS stops the app naming it.
    { provide: SPAWN_POINTS, useFactory: () => spawnPointsFromEnv() },
  ],
})
export class CharactersModule {}
