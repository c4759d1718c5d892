import { Module } from '@nestjs/common';
import { SeasonsController } from './seasons.controller';
import { SeasonsRepository } from './seasons.repository';
import { SeasonsService } from './seasons.service';

/** Seasons (issue 15): the seasons table, the archive of ended seasons' boards. */
@Module({ controllers: [SeasonsController], providers: [SeasonsRepository, SeasonsService] })
export class SeasonsFeatureModule {}
