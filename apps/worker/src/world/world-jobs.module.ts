import { Module } from '@nestjs/common';
import { DecayModule } from './decay/decay.module';
import { EventsModule } from './events/events.module';
import { PathsModule } from './paths/paths.module';
import { TerritoriesModule } from './territories/territories.module';
import { VehiclesModule } from './vehicles/vehicles.module';

/** The world domain's jobs: structure decay, vehicle decay, territory resources, world events, paths. */
@Module({ imports: [DecayModule, VehiclesModule, TerritoriesModule, EventsModule, PathsModule] })
export class WorldJobsModule {}
