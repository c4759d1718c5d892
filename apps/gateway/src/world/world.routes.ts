import { Module } from '@nestjs/common';
import { CatalogController, ChunksController } from './world.controller';

/** HTTP routes of the world (SPEC §7 "World"); controllers forward to the world service over NATS. */
@Module({ controllers: [CatalogController, ChunksController] })
export class WorldRoutesModule {}
