import { Module } from '@nestjs/common';
import { StructuresController } from './structures.controller';

/** HTTP routes of structures; the controller forwards to the world service over NATS. */
@Module({ controllers: [StructuresController] })
export class StructuresRoutesModule {}
