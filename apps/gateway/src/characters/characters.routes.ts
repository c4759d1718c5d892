import { Module } from '@nestjs/common';
import { CharactersController } from './characters.controller';

/** HTTP routes of characters (SPEC §7); controllers forward to the accounts service over NATS. */
@Module({ controllers: [CharactersController] })
export class CharactersRoutesModule {}
