import { Module } from '@nestjs/common';
import { CorpsesController } from './corpses.controller';
import { CorpsesRepository } from './corpses.repository';
import { CorpsesService } from './corpses.service';

@Module({ controllers: [CorpsesController], providers: [CorpsesService, CorpsesRepository] })
export class CorpsesModule {}
