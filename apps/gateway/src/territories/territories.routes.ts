import { Module } from '@nestjs/common';
import { TerritoriesController } from './territories.controller';

/** HTTP routes of territories; the controller forwards to the world service over NATS. */
@Module({ controllers: [TerritoriesController] })
export class TerritoriesRoutesModule {}
