import { Module } from '@nestjs/common';
import { VehiclesController } from './vehicles.controller';
import { loadVehiclesConfig, VEHICLES_CONFIG } from './vehicles-config';
import { VehiclesRepository } from './vehicles.repository';
import { VehiclesService } from './vehicles.service';

@Module({
  controllers: [VehiclesController],
  providers: [
    VehiclesService,
    VehiclesRepository,
    { provide: VEHICLES_CONFIG, useFactory: () => loadVehiclesConfig() },
  ],
})
export class VehiclesModule {}
