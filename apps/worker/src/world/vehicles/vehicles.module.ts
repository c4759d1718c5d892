import { Module } from '@nestjs/common';
import { VehiclesDecayProcessor } from './vehicles-decay.processor';

@Module({ providers: [VehiclesDecayProcessor] })
export class VehiclesModule {}
