import { Module } from '@nestjs/common';
import { VehiclesController } from './vehicles.controller';
import { VehiclesRepository } from './vehicles.repository';
import { VehiclesService } from './vehicles.service';

@Module({ controllers: [VehiclesController], providers: [VehiclesService, VehiclesRepository] })
export class VehiclesModule {}
