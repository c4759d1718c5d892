import { Module } from '@nestjs/common';
import { ChunksModule } from '../chunks/chunks.module';
import { VehiclesController } from './vehicles.controller';
import { loadVehiclesConfig, VEHICLES_CONFIG } from './vehicles-config';
import { VehiclesRepository } from './vehicles.repository';
import { VehiclesService } from './vehicles.service';

@Module({
  imports: [ChunksModule],
  controllers: [VehiclesController],
  providers: [
    VehiclesService,
    VehiclesRepository,
    { provide: VEHICLES_CONFIG, useFactory: () => loadVehiclesConfig() },
  ],
})
export class VehiclesModule {}
