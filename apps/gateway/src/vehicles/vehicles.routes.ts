import { Module } from '@nestjs/common';
import { VehiclesController } from './vehicles.controller';

/** HTTP routes of vehicles; the controller forwards to the world service over NATS. */
@Module({ controllers: [VehiclesController] })
export class VehiclesRoutesModule {}
