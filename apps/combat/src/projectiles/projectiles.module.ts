import { Module } from '@nestjs/common';
import { ProjectilesController } from './projectiles.controller';
import { ProjectilesService } from './projectiles.service';

@Module({ controllers: [ProjectilesController], providers: [ProjectilesService] })
export class ProjectilesModule {}
